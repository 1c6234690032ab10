import FHECompiler
import Foundation
import TFHE

/// A register's value during a run: ciphertexts of an encrypted tensor, or a clear tensor.
enum RuntimeValue: Sendable {
    case encrypted(shape: [Int], ciphertexts: [LWECiphertext])
    case clear(Tensor)

    var shape: [Int] {
        switch self {
        case let .encrypted(shape, _): shape
        case let .clear(tensor): tensor.shape
        }
    }
}

/// The arguments of a circuit, encrypted where the circuit says so.
public struct EncryptedArguments: Sendable {
    let values: [RuntimeValue]
    /// The fingerprint of the client specs they were made for.
    let specsFingerprint: UInt64

    init(values: [RuntimeValue], specsFingerprint: UInt64) {
        self.values = values
        self.specsFingerprint = specsFingerprint
    }

    /// The binary form (see `BinaryFormat`): header, then each value, clear or encrypted.
    public func serialized() -> Data { RuntimeValue.serialize(values, kind: .encryptedArguments, fingerprint: specsFingerprint) }

    /// Reads arguments; every length is checked against the bytes present before anything is
    /// allocated. The circuit checks them against its specs when it runs them.
    /// - Throws: `DeserializationError` saying what is wrong.
    public init(serialized data: Data) throws {
        (values, specsFingerprint) = try RuntimeValue.deserialize(data, kind: .encryptedArguments)
    }
}

/// The result of a run, to decrypt with the client's keys.
public struct EncryptedResult: Sendable {
    let value: RuntimeValue
    /// The fingerprint of the client specs it was made for.
    let specsFingerprint: UInt64

    init(value: RuntimeValue, specsFingerprint: UInt64) {
        self.value = value
        self.specsFingerprint = specsFingerprint
    }

    /// The binary form (see `BinaryFormat`).
    public func serialized() -> Data { RuntimeValue.serialize([value], kind: .encryptedResult, fingerprint: specsFingerprint) }

    /// Reads a result.
    /// - Throws: `DeserializationError` saying what is wrong.
    public init(serialized data: Data) throws {
        let (values, fingerprint) = try RuntimeValue.deserialize(data, kind: .encryptedResult)
        guard values.count == 1 else { throw DeserializationError.invalidValue("a result holds one value, found \(values.count)") }
        value = values[0]
        specsFingerprint = fingerprint
    }
}

extension RuntimeValue {
    static let maximumValues = 1024, maximumRank = 8, maximumElements = 1 << 24, maximumDimension = 1 << 22

    static func serialize(_ values: [RuntimeValue], kind: BinaryFormat.Kind, fingerprint: UInt64) -> Data {
        var writer = BinaryWriter()
        writer.writeHeader(kind, fingerprint: fingerprint)
        writer.write(UInt64(values.count))
        for value in values {
            switch value {
            case let .clear(tensor):
                writer.write(UInt8(0))
                writer.write(array: tensor.shape.map(UInt32.init))
                for element in tensor.elements { writer.write(element) }
            case let .encrypted(shape, ciphertexts):
                writer.write(UInt8(1))
                writer.write(array: shape.map(UInt32.init))
                writer.write(UInt32(ciphertexts.first?.dimension ?? 0))
                for ciphertext in ciphertexts { for word in ciphertext.words { writer.write(word) } }
            }
        }
        return Data(writer.bytes)
    }

    static func deserialize(_ data: Data, kind: BinaryFormat.Kind) throws -> ([RuntimeValue], UInt64) {
        var reader = BinaryReader([UInt8](data))
        let fingerprint = try reader.readHeader(kind)
        let count = try reader.readCount(itemSize: 9, limit: maximumValues, what: "values")
        var values = [RuntimeValue]()
        for _ in 0..<count {
            let tag = try reader.read(UInt8.self)
            let shape = try reader.read(array: UInt32.self, limit: maximumRank, what: "dimensions").map(Int.init)
            let elements = Tensor.elementCount(of: shape)
            guard elements <= maximumElements else {
                throw DeserializationError.invalidValue("a tensor of shape \(shape) is too large")
            }
            switch tag {
            case 0:
                guard reader.remaining >= elements * 8 else {
                    throw DeserializationError.truncated(needed: elements * 8, available: reader.remaining)
                }
                values.append(.clear(Tensor(int64: try (0..<elements).map { _ in try reader.read(Int64.self) }, shape: shape)))
            case 1:
                let dimension = Int(try reader.read(UInt32.self))
                guard (1...maximumDimension).contains(dimension) else {
                    throw DeserializationError.invalidValue("LWE dimension \(dimension) is out of range")
                }
                let words = (dimension + 1) * elements
                guard reader.remaining >= words * 8 else {
                    throw DeserializationError.truncated(needed: words * 8, available: reader.remaining)
                }
                let ciphertexts = try (0..<elements).map { _ in
                    try LWECiphertext(words: (0...dimension).map { _ in try reader.read(UInt64.self) })
                }
                values.append(.encrypted(shape: shape, ciphertexts: ciphertexts))
            default:
                throw DeserializationError.invalidValue("value tag \(tag) is neither clear (0) nor encrypted (1)")
            }
        }
        try reader.finish()
        return (values, fingerprint)
    }
}

/// Why a circuit could not run.
public enum RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// keygen() has not been called.
    case noKeys
    /// Arguments or a result that do not belong to this circuit.
    case mismatch(String)

    public var description: String {
        switch self {
        case .noKeys: "the circuit has no keys: call keygen() first"
        case let .mismatch(message): message
        }
    }
}
