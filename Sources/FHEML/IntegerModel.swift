import FHECompiler
import FHEOptimizer
import FHEDeployment
import FHERuntime
import Foundation

/// The integer form of a model: its input quantizers, the integer computation (traced for the
/// compiler, and in plain Swift for `.disable`), and how the integer outputs decode on the client.
/// Every model builds one when it is compiled.
struct IntegerModel: Sendable {
    /// One quantizer per feature.
    let inputQuantizers: [Quantizer]
    /// The real outputs of the integer ones.
    let decoding: OutputDecoding
    /// The integer computation traced on the quantized features (shape [features]); its result has
    /// shape [outputs].
    let trace: @Sendable (Tracer) throws -> Tracer
    /// The same computation in plain Swift (it throws where the checked clear semantics fail).
    let evaluate: @Sendable ([Int64]) throws -> [Int64]
    /// Quantized inputs that reach the extremes of every accumulator, added to the inputset so
    /// that no input of the quantized domain overflows a type measured on it.
    let extremeInputs: [[Int64]]
    /// What to change when the circuit cannot be compiled.
    let advice: String

    /// The quantized features of a row.
    func quantize(_ row: [Double]) -> [Int64] {
        zip(row, inputQuantizers).map { Int64($1.quantize($0)) }
    }
}

/// A model's compiled circuit with its integer form: what `predict` runs in each mode.
public final class CompiledModel: @unchecked Sendable {
    let integerModel: IntegerModel
    /// The compiled circuit: its graph, statistics and keys.
    public let circuit: Circuit
    private let lock = NSLock()
    private var hasKeys = false

    init(_ integerModel: IntegerModel, calibration: [[Double]], configuration: Configuration) throws {
        self.integerModel = integerModel
        let features = integerModel.inputQuantizers.count
        let inputset = (calibration.map(integerModel.quantize) + integerModel.extremeInputs).map { [Tensor(int64: $0, shape: [features])] }
        let trace = integerModel.trace
        do {
            circuit = try Compiler(["x": .encrypted]) { try trace($0[0]) }.compile(inputset: inputset, configuration: configuration)
        } catch let error as CompilationError {
            throw MLError.cannotCompile("\(error)\n\n\(integerModel.advice)")
        }
    }

    /// The compiled model of the candidates (the same model in different circuits) whose run
    /// costs least: PBS count times the cost of one PBS at the chosen parameters (`CostModel`).
    /// - Throws: the first candidate's error when none compiles.
    static func cheapest(_ candidates: [IntegerModel], calibration: [[Double]], configuration: Configuration) throws -> CompiledModel {
        var best: (cost: Double, model: CompiledModel)?, firstError: Error?
        for candidate in candidates {
            do {
                let model = try CompiledModel(candidate, calibration: calibration, configuration: configuration)
                let statistics = model.circuit.statistics
                let cost = Double(max(statistics.programmableBootstrapCount, 1)) * CostModel.cost(statistics.parameters)
                if best.map({ cost < $0.cost }) ?? true { best = (cost, model) }
            } catch {
                firstError = firstError ?? error
            }
        }
        guard let best else { throw firstError ?? MLError.invalidParameter("no circuit to compile") }
        return best.model
    }

    /// The input quantizers, one per feature.
    public var inputQuantizers: [Quantizer] { integerModel.inputQuantizers }
    /// How the circuit's integer outputs decode on the client.
    public var decoding: OutputDecoding { integerModel.decoding }

    /// The integer outputs for each row in `mode`.
    func integerOutputs(_ rows: [[Double]], mode: FHEMode) throws -> [[Int64]] {
        let features = integerModel.inputQuantizers.count
        if let bad = rows.firstIndex(where: { $0.count != features }) {
            throw MLError.invalidData("row \(bad) has \(rows[bad].count) features, the model takes \(features)")
        }
        let quantized = rows.map(integerModel.quantize)
        switch mode {
        case .disable:
            return try quantized.map(integerModel.evaluate)
        case .simulate:
            return try quantized.map { try circuit.simulate(Tensor(int64: $0, shape: [features])).elements }
        case .execute:
            try keygen()
            return try quantized.map { try circuit.encryptRunDecrypt(Tensor(int64: $0, shape: [features])).elements }
        }
    }

    /// The decoded outputs (probabilities or values) for each row in `mode`.
    func outputs(_ rows: [[Double]], mode: FHEMode) throws -> [[Double]] {
        try integerOutputs(rows, mode: mode).map(integerModel.decoding.decode)
    }

    /// Generates the keys (system CSPRNG) unless they exist: `predict(_:fhe: .execute)` calls it on
    /// first use; call it first to time key generation apart.
    public func keygen() throws {
        try lock.withLock {
            guard !hasKeys else { return }
            try circuit.keygen()
            hasKeys = true
        }
    }
}
