import FHECompiler
import FHEParameters
import Foundation

/// What a client needs to encrypt arguments and decrypt results of a circuit: the parameter
/// set and each argument's and the result's shape, encryption status and integer type.
public struct ClientSpecs: Sendable, Equatable {
    /// One argument or the result.
    public struct Value: Sendable, Equatable {
        public let shape: [Int]
        public let isEncrypted: Bool
        public let type: IntegerType
    }

    public let parameters: ParameterSet
    public let arguments: [Value]
    public let result: Value

    init(compiled: CompiledProgram) {
        func value(_ register: Int) -> Value {
            let info = compiled.program.registers[register]
            return Value(shape: info.shape, isEncrypted: info.isEncrypted, type: compiled.registerTypes[register]!)
        }
        parameters = compiled.parameters
        arguments = compiled.program.arguments.map(value)
        result = value(compiled.program.result)
    }

    /// The identifier of these specs, carried by every object made for them.
    public var fingerprint: UInt64 { FHERuntime.fingerprint(body) }

    private var body: [UInt8] {
        var writer = BinaryWriter()
        let p = parameters
        for field in [p.lweDimension, p.glweDimension, p.polynomialSize, p.pbsBaseLog, p.pbsLevelCount, p.ksBaseLog, p.ksLevelCount] {
            writer.write(UInt32(field))
        }
        writer.write(p.lweNoiseStd)
        writer.write(p.glweNoiseStd)
        writer.write(UInt64(arguments.count))
        for value in arguments + [result] {
            writer.write(array: value.shape.map(UInt32.init))
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
        writer.writeHeader(.clientSpecs, fingerprint: FHERuntime.fingerprint(body))
        return Data(writer.bytes + body)
    }

    /// Reads specs, validating every field.
    /// - Throws: `DeserializationError` saying what is wrong.
    public init(serialized data: Data) throws {
        var reader = BinaryReader([UInt8](data))
        let expected = try reader.readHeader(.clientSpecs)
        let bodyStart = data.count - reader.remaining
        var fields = [Int]()
        for _ in 0..<7 { fields.append(Int(try reader.read(UInt32.self))) }
        let lweNoise = try reader.readDouble(), glweNoise = try reader.readDouble()
        do {
            parameters = try ParameterSet(
                lweDimension: fields[0], glweDimension: fields[1], polynomialSize: fields[2], pbsBaseLog: fields[3],
                pbsLevelCount: fields[4], ksBaseLog: fields[5], ksLevelCount: fields[6],
                lweNoiseStd: lweNoise, glweNoiseStd: glweNoise)
        } catch let error as ParameterError {
            throw DeserializationError.invalidValue("\(error)")
        }
        let count = try reader.readCount(itemSize: 11, limit: 1024, what: "arguments")
        var values = [Value]()
        for _ in 0...count {
            let shape = try reader.read(array: UInt32.self, limit: 8, what: "dimensions").map(Int.init)
            guard Tensor.elementCount(of: shape) <= 1 << 24 else {
                throw DeserializationError.invalidValue("a tensor of shape \(shape) is too large")
            }
            let encrypted = try reader.read(UInt8.self), signed = try reader.read(UInt8.self), width = Int(try reader.read(UInt8.self))
            guard encrypted <= 1, signed <= 1, (1...Configuration.maximumEncryptedBitWidth).contains(width) else {
                throw DeserializationError.invalidValue("a value type (encrypted \(encrypted), signed \(signed), width \(width)) is out of range")
            }
            values.append(Value(shape: shape, isEncrypted: encrypted == 1, type: IntegerType(isSigned: signed == 1, width: width)))
        }
        try reader.finish()
        arguments = Array(values.dropLast())
        result = values.last!
        guard FHERuntime.fingerprint([UInt8](data[(data.startIndex + bodyStart)...])) == expected else {
            throw DeserializationError.wrongFingerprint
        }
    }
}
