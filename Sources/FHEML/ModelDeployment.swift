import FHEDeployment
import FHEParameters
import FHEProgram
import Foundation

/// What a client needs to use a deployed model: the circuit's `ClientSpecs`, the quantizer of
/// each feature, and how the decrypted outputs decode (scales, offsets, biases, post-processing).
///
/// Binary form: the header (kind 7, the circuit specs' fingerprint), the client specs' own bytes,
/// the quantizers (bits, signedness, scale, zero point) and the decoding (its values, the
/// post-processing and the block count). Read from a server, it
/// is outside input: every field is checked against the specs.
public struct ModelClientSpecs: Sendable, Equatable {
    public let circuit: ClientSpecs
    public let inputQuantizers: [Quantizer]
    public let decoding: OutputDecoding

    /// - Throws: `MLError.invalidData` when the quantizers or the decoding do not fit the specs.
    public init(circuit: ClientSpecs, inputQuantizers: [Quantizer], decoding: OutputDecoding) throws {
        guard circuit.arguments.count == 1, let argument = circuit.arguments.first, argument.isEncrypted,
              argument.shape == [inputQuantizers.count] else {
            throw MLError.invalidData("the circuit does not take one encrypted row of \(inputQuantizers.count) features")
        }
        for (index, quantizer) in inputQuantizers.enumerated()
        where !argument.type.contains(Int64(quantizer.minimum)) || !argument.type.contains(Int64(quantizer.maximum)) {
            throw MLError.invalidData("feature \(index)'s quantizer (\(quantizer)) does not fit the circuit's \(argument.type)")
        }
        guard circuit.result.isEncrypted, Tensor.checkedElementCount(of: circuit.result.shape) == decoding.outputCount else {
            throw MLError.invalidData("the circuit's result does not have the decoding's \(decoding.outputCount) outputs")
        }
        self.circuit = circuit
        self.inputQuantizers = inputQuantizers
        self.decoding = decoding
    }

    /// The binary form (see the type's documentation).
    public func serialized() -> Data {
        var writer = BinaryWriter()
        writer.writeHeader(.modelClientSpecs, fingerprint: circuit.fingerprint)
        writer.write(array: [UInt8](circuit.serialized()))
        writer.write(UInt64(inputQuantizers.count))
        for quantizer in inputQuantizers {
            writer.write(UInt8(quantizer.bits))
            writer.write(UInt8(quantizer.isSigned ? 1 : 0))
            writer.write(quantizer.scale)
            writer.write(Int64(quantizer.zeroPoint))
        }
        writer.write(UInt64(decoding.outputCount))
        for values in [decoding.scales, decoding.offsets, decoding.biases] { for value in values { writer.write(value) } }
        writer.write(decoding.postProcessing.rawValue)
        writer.write(UInt8(decoding.chunks))
        return Data(writer.bytes)
    }

    /// Reads specs, checking every length before allocating and every field against the circuit.
    /// - Throws: `DeserializationError` or `MLError.invalidData` saying what is wrong.
    public init(serialized data: Data) throws {
        var reader = BinaryReader([UInt8](data))
        let (fingerprint, _) = try reader.readHeader(.modelClientSpecs)
        let circuit = try ClientSpecs(serialized: Data(try reader.read(array: UInt8.self, limit: 1 << 24, what: "specs bytes")))
        guard circuit.fingerprint == fingerprint else { throw DeserializationError.wrongFingerprint }
        let count = try reader.readCount(itemSize: 18, limit: Limits.maximumTensorElements, what: "quantizers")
        let quantizers = try (0..<count).map { _ -> Quantizer in
            let bits = Int(try reader.read(UInt8.self)), signed = try reader.read(UInt8.self)
            let scale = try reader.readDouble(), zeroPoint = try reader.read(Int64.self)
            guard signed <= 1, zeroPoint.magnitude <= 1 << 24 else { throw DeserializationError.invalidValue("a quantizer is out of range") }
            return try Quantizer(bits: bits, isSigned: signed == 1, scale: scale, zeroPoint: Int(zeroPoint))
        }
        let outputs = try reader.readCount(itemSize: 24, limit: Limits.maximumTensorElements, what: "outputs")
        let values = try (0..<3).map { _ in try (0..<outputs).map { _ in try reader.readDouble() } }
        let kind = try reader.read(UInt8.self)
        guard let postProcessing = OutputDecoding.PostProcessing(rawValue: kind) else {
            throw DeserializationError.invalidValue("post-processing \(kind) is unknown")
        }
        let chunks = Int(try reader.read(UInt8.self))
        try reader.finish()
        try self.init(circuit: circuit, inputQuantizers: quantizers,
                      decoding: OutputDecoding(scales: values[0], offsets: values[1], biases: values[2], postProcessing: postProcessing,
                                               chunks: chunks))
    }
}

/// The client of a deployed model: it makes the keys, quantizes and encrypts a row, and decrypts,
/// dequantizes and post-processes the server's result. The secret keys never leave it.
public final class ModelClient: Sendable {
    public let specs: ModelClientSpecs
    private let client: Client

    /// A client for `specs`, accepted by `policy` (128-bit security by default).
    public init(specs: ModelClientSpecs, policy: ClientPolicy = ClientPolicy()) {
        self.specs = specs
        client = Client(specs: specs.circuit, policy: policy)
    }

    /// A client with keys saved earlier (`keys.serialized()`).
    public init(specs: ModelClientSpecs, keys: ClientKeys, policy: ClientPolicy = ClientPolicy()) {
        self.specs = specs
        client = Client(specs: specs.circuit, keys: keys, policy: policy)
    }

    /// Generates the secret keys (system CSPRNG) and the evaluation keys.
    public func keygen() throws { try client.keygen() }

    /// The evaluation keys, for the server.
    public var evaluationKeys: EvaluationKeys { get throws { try client.evaluationKeys } }

    /// The client's keys, to keep between sessions.
    public var keys: ClientKeys { get throws { try client.keys } }

    /// Quantizes `row` (one value per feature) and encrypts it.
    /// - Throws: `MLError.invalidData` for a row of another length or a value that is not finite.
    public func encrypt(_ row: [Double]) throws -> EncryptedArguments {
        guard row.count == specs.inputQuantizers.count, row.allSatisfy(\.isFinite) else {
            throw MLError.invalidData("expected \(specs.inputQuantizers.count) finite features, got \(row.count)")
        }
        let quantized = zip(row, specs.inputQuantizers).map { Int64($1.quantize($0)) }
        return try client.encrypt(Tensor(int64: quantized, shape: [quantized.count]))
    }

    /// Decrypts a result, dequantizes and post-processes it: class probabilities or the value.
    public func decrypt(_ result: EncryptedResult) throws -> [Double] {
        specs.decoding.decode(try client.decrypt(result).elements)
    }
}
