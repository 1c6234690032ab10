import FHEParameters
import FHEProgram
import Foundation

/// What a client needs to encrypt arguments and decrypt results of a circuit: the parameter
/// set, each argument's and the result's shape, encryption status and integer type, and an
/// identifier of the circuit itself.
public struct ClientSpecs: Sendable, Equatable {
    /// One argument or the result.
    public struct Value: Sendable, Equatable {
        public let shape: [Int]
        public let isEncrypted: Bool
        public let type: IntegerType

        package init(shape: [Int], isEncrypted: Bool, type: IntegerType) {
            self.shape = shape
            self.isEncrypted = isEncrypted
            self.type = type
        }
    }

    public let parameters: ParameterSet
    /// The decompositions of the circuit's wide lookups (nil when it has none): the client makes
    /// circuit bootstrapping keys for them.
    public let wideLookup: WideLookupParameters?
    public let arguments: [Value]
    public let result: Value
    /// The fingerprint of the compiled circuit (its printed graph: operations, tables, types).
    public let circuitFingerprint: UInt64

    /// Specs from their fields (a program read from elsewhere, or a test's forgery).
    package init(parameters: ParameterSet, wideLookup: WideLookupParameters? = nil, arguments: [Value], result: Value,
                 circuitFingerprint: UInt64) {
        self.parameters = parameters
        self.wideLookup = wideLookup
        self.arguments = arguments
        self.result = result
        self.circuitFingerprint = circuitFingerprint
    }

    /// Throws unless evaluation keys of this fingerprint and parameter set were made for these
    /// specs (the server's check, before the keys' bodies are read and before any run).
    /// - Throws: `RuntimeError.mismatch`.
    func checkEvaluationKeys(fingerprint: UInt64, parameters: ParameterSet) throws {
        guard fingerprint == self.fingerprint, parameters == self.parameters else {
            throw RuntimeError.mismatch("the evaluation keys were made for another circuit or parameter set (\(parameters))")
        }
    }

    /// Throws unless evaluation keys with these wide-lookup decompositions (nil: no circuit
    /// bootstrapping keys) serve these specs.
    /// - Throws: `RuntimeError.mismatch`.
    func checkEvaluationKeys(wideLookup: WideLookupParameters?) throws {
        guard wideLookup == self.wideLookup else {
            throw RuntimeError.mismatch("the evaluation keys' circuit bootstrapping keys (\(wideLookup.map { "\($0)" } ?? "none")) "
                + "do not match the circuit's wide lookups (\(self.wideLookup.map { "\($0)" } ?? "none"))")
        }
    }

    /// The identifier of these specs, carried by every object made for them.
    public var fingerprint: UInt64 { FHEProgram.fingerprint(body) }

    private var body: [UInt8] {
        var writer = BinaryWriter()
        writer.write(parameters)
        writer.write(wideLookup)
        writer.write(circuitFingerprint)
        writer.write(UInt64(arguments.count))
        for value in arguments + [result] {
            writer.write(shape: value.shape)
            writer.write(UInt8(value.isEncrypted ? 1 : 0))
            writer.write(UInt8(value.type.isSigned ? 1 : 0))
            writer.write(UInt8(value.type.width))
        }
        return writer.bytes
    }

    /// The binary form (see `BinaryFormat`).
    public func serialized() -> Data {
        var writer = BinaryWriter()
        let body = body
        writer.writeHeader(.clientSpecs, fingerprint: FHEProgram.fingerprint(body))
        return Data(writer.bytes + body)
    }

    /// Reads specs, validating every field.
    /// - Throws: `DeserializationError` saying what is wrong.
    public init(serialized data: Data) throws {
        var reader = BinaryReader([UInt8](data))
        try self.init(reading: &reader)
        try reader.finish()
    }

    /// Reads specs from inside a larger object (a server artifact).
    init(reading reader: inout BinaryReader) throws {
        let (expected, keyID) = try reader.readHeader(.clientSpecs)
        guard keyID == 0 else { throw DeserializationError.invalidValue("client specs belong to no key, found key \(keyID)") }
        let bodyStart = reader.position
        parameters = try reader.readParameters()
        wideLookup = try reader.readWideLookupParameters()
        circuitFingerprint = try reader.read(UInt64.self)
        let count = try reader.readCount(itemSize: 11, limit: 1024, what: "arguments")
        var values = [Value]()
        for _ in 0...count {
            let shape = try reader.readShape()
            let encrypted = try reader.read(UInt8.self), signed = try reader.read(UInt8.self), width = Int(try reader.read(UInt8.self))
            guard encrypted <= 1, signed <= 1, (1...Limits.maximumEncryptedBitWidth).contains(width) else {
                throw DeserializationError.invalidValue("a value type (encrypted \(encrypted), signed \(signed), width \(width)) is out of range")
            }
            values.append(Value(shape: shape, isEncrypted: encrypted == 1, type: IntegerType(isSigned: signed == 1, width: width)))
        }
        arguments = Array(values.dropLast())
        result = values.last!
        guard FHEProgram.fingerprint(reader.bytes(from: bodyStart)) == expected else {
            throw DeserializationError.wrongFingerprint
        }
    }
}
