import FHECompiler
import FHEDeployment
import FHERuntime

/// What every model of this module shares: trained in floating point (`fit`), compiled to a
/// circuit on calibration rows (`compile`), predicted in three modes, deployed as a server
/// artifact and client specs.
public protocol FHEModel: AnyObject {
    /// The compiled model: nil before `compile`.
    var compiledModel: CompiledModel? { get }
    /// Calibrates the quantizers on `rows` and compiles the circuit with `configuration`.
    /// - Throws: `MLError.notReady` before `fit`; `CompilationError` or `OptimizerError` when
    ///   the circuit cannot be compiled (the message says which accumulator is too wide).
    func compile(_ rows: [[Double]], configuration: Configuration) throws
}

extension FHEModel {
    /// `compile(_:configuration:)` with the default configuration.
    public func compile(_ rows: [[Double]]) throws { try compile(rows, configuration: Configuration()) }

    /// The compiled circuit (nil before `compile`).
    public var circuit: Circuit? { compiledModel?.circuit }

    /// What a server needs to run the model (no keys).
    /// - Throws: `MLError.notReady` before `compile`.
    public var server: ServerArtifact { get throws { try readyModel().circuit.server } }

    /// What a client needs: the circuit's specs, the input quantizers and the output decoding.
    /// - Throws: `MLError.notReady` before `compile`.
    public var clientSpecs: ModelClientSpecs {
        get throws {
            let compiled = try readyModel()
            return try ModelClientSpecs(circuit: compiled.circuit.clientSpecs, inputQuantizers: compiled.inputQuantizers,
                                        decoding: compiled.decoding)
        }
    }

    func readyModel() throws -> CompiledModel {
        guard let compiledModel else { throw MLError.notReady("compile the model first: model.compile(trainingRows)") }
        return compiledModel
    }
}

/// A classifier: labels are class indices 0..<classCount.
public protocol FHEClassifier: FHEModel {
    /// The number of classes seen by `fit`.
    var classCount: Int { get }
    /// Trains the model in floating point on rows and their class labels (0, 1, …).
    func fit(_ rows: [[Double]], _ labels: [Int]) throws
    /// The float model's class probabilities for each row.
    func floatProbabilities(_ rows: [[Double]]) throws -> [[Double]]
}

extension FHEClassifier {
    /// Each row's class: the most probable one (`.disable`: the quantized model in the clear).
    public func predict(_ rows: [[Double]], fhe mode: FHEMode = .disable) throws -> [Int] {
        try predictProbabilities(rows, fhe: mode).map(argmax)
    }

    /// Each row's class probabilities, one row per sample.
    public func predictProbabilities(_ rows: [[Double]], fhe mode: FHEMode = .disable) throws -> [[Double]] {
        try readyModel().outputs(rows, mode: mode)
    }

    /// Each row's class by the float model (before quantization).
    public func predictFloat(_ rows: [[Double]]) throws -> [Int] { try floatProbabilities(rows).map(argmax) }
}

/// A regressor: targets are real values.
public protocol FHERegressor: FHEModel {
    /// Trains the model in floating point on rows and their targets.
    func fit(_ rows: [[Double]], _ targets: [Double]) throws
    /// The float model's prediction for each row.
    func floatPredictions(_ rows: [[Double]]) throws -> [Double]
}

extension FHERegressor {
    /// Each row's predicted value (`.disable`: the quantized model in the clear).
    public func predict(_ rows: [[Double]], fhe mode: FHEMode = .disable) throws -> [Double] {
        try readyModel().outputs(rows, mode: mode).map { $0[0] }
    }

    /// Each row's value by the float model (before quantization).
    public func predictFloat(_ rows: [[Double]]) throws -> [Double] { try floatPredictions(rows) }
}

/// The index of the largest value (the first on ties).
func argmax(_ values: [Double]) -> Int {
    values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) } ?? 0
}
