import FHECompiler
import FHEParameters
import Foundation

/// A neural network imported from ONNX, quantized after training (or as a quantization-aware
/// export marks it) and compiled to a circuit: Concrete ML's `compile_onnx_model`.
///
/// ```swift
/// let network = try QuantizedModule(onnx: try Data(contentsOf: url), inputset: xTrain, nBits: 6, roundingThresholdBits: 6)
/// let logits = try network.forward(xTest, fhe: .simulate)
/// ```
///
/// Rows are the ONNX input flattened in row-major order without the batch dimension.
public final class QuantizedModule: FHEModel {
    public private(set) var compiledModel: CompiledModel?
    /// Bits of weights, inputs and activations.
    public let nBits: Int
    /// The width lookups read after rounding their accumulators (nil: the default,
    /// `Limits.defaultLookupBitWidth` bits; at most `Limits.maximumLookupBitWidth`).
    public let roundingThresholdBits: Int?
    /// How FHE rounds the accumulators: `.exact` (PBS steps), or `.approximate` (no PBS: a lookup
    /// may see its input rounded to the other neighbour near a tie, so FHE can differ from
    /// simulate by one rounding step there; Concrete ML's `"method": "approximate"`).
    public let roundingExactness: RoundingExactness
    let network: Network

    /// Imports, quantizes on `inputset` and compiles.
    /// - Throws: `MLError.invalidData` for a file that is not ONNX or rows of the wrong length,
    ///   `MLError.unsupportedModel` naming an operator and node the importer does not support,
    ///   `MLError.invalidParameter` for bits out of range, `MLError.cannotCompile` when an
    ///   accumulator is too wide.
    public init(onnx: Data, inputset: [[Double]], nBits: Int = 6, roundingThresholdBits: Int? = nil,
                roundingExactness: RoundingExactness = .exact, configuration: Configuration = Configuration()) throws {
        guard (2...8).contains(nBits) else { throw MLError.invalidParameter("nBits must be 2…8 for a network, got \(nBits)") }
        if let bits = roundingThresholdBits, !(1...Limits.maximumLookupBitWidth).contains(bits) {
            throw MLError.invalidParameter("roundingThresholdBits must be 1…\(Limits.maximumLookupBitWidth), got \(bits)")
        }
        self.nBits = nBits
        self.roundingThresholdBits = roundingThresholdBits
        self.roundingExactness = roundingExactness
        network = try ONNXImport.network(from: onnx)
        try compile(inputset, configuration: configuration)
    }

    /// The number of input values per row.
    public var inputCount: Int { network.inputShape.reduce(1, *) }

    /// Quantizes on `rows` again and compiles.
    public func compile(_ rows: [[Double]], configuration: Configuration) throws {
        try checkRows(rows)
        var quantization = NetworkQuantization(network: network, bits: nBits, roundingThresholdBits: roundingThresholdBits, rows: rows)
        quantization.roundingExactness = roundingExactness
        compiledModel = try CompiledModel(try quantization.integerModel(), calibration: rows, configuration: configuration)
    }

    /// The network's outputs for each row (flattened, after the client's Softmax, LogSoftmax or
    /// ReduceMax when the graph ends with one): the quantized network in the clear (`.disable`),
    /// simulated, or in FHE.
    public func forward(_ rows: [[Double]], fhe mode: FHEMode = .disable) throws -> [[Double]] {
        try checkRows(rows)
        return try readyModel().outputs(rows, mode: mode)
    }

    /// The float network's outputs for each row, as ONNX computes them.
    public func forwardFloat(_ rows: [[Double]]) throws -> [[Double]] {
        try checkRows(rows)
        return try rows.map { row in
            network.postProcessing.apply(try network.output(RealTensor(shape: network.inputShape, values: row)).values)
        }
    }

    private func checkRows(_ rows: [[Double]]) throws {
        guard !rows.isEmpty else { throw MLError.invalidData("no rows") }
        if let bad = rows.firstIndex(where: { $0.count != inputCount }) {
            throw MLError.invalidData("row \(bad) has \(rows[bad].count) values; the network reads \(inputCount) (\(network.inputShape) flattened)")
        }
        guard rows.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { throw MLError.invalidData("a row holds a value that is not finite") }
    }
}
