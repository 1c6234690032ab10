import FHEProgram
import Foundation
import TFHE

/// A register's value during a run: ciphertexts of an encrypted tensor, fresh ciphertexts in
/// seeded form (a client's arguments: one mask seed and a body each), or a clear tensor.
enum RuntimeValue: Sendable {
    case encrypted(shape: [Int], ciphertexts: LWECiphertextList)
    case seeded(shape: [Int], ciphertexts: SeededLWECiphertexts)
    case clear(Tensor)

    var shape: [Int] {
        switch self {
        case let .encrypted(shape, _), let .seeded(shape, _): shape
        case let .clear(tensor): tensor.shape
        }
    }
}

/// The arguments of a circuit, encrypted where the circuit says so. Fresh encryptions are in
/// seeded form: a 16-byte mask seed and one 8-byte body per element (the server regenerates the
/// masks), so an encrypted uint4 scalar takes 70 bytes on the wire.
public struct EncryptedArguments: Sendable {
    let values: [RuntimeValue]
    /// The fingerprint of the client specs they were made for.
    let specsFingerprint: UInt64
    /// The identifier of the client keys they were encrypted under.
    let keyID: UInt64

    init(values: [RuntimeValue], specsFingerprint: UInt64, keyID: UInt64) {
        self.values = values
        self.specsFingerprint = specsFingerprint
        self.keyID = keyID
    }

    /// The binary form (see `BinaryFormat`): header, then each value, clear or encrypted.
    public func serialized() -> Data {
        RuntimeValue.serialize(values, kind: .encryptedArguments, fingerprint: specsFingerprint, keyID: keyID)
    }

    /// Reads arguments; every length is checked against the bytes present before anything is
    /// allocated. The server checks them against its specs when it runs them.
    /// - Throws: `DeserializationError` saying what is wrong.
    public init(serialized data: Data) throws {
        (values, specsFingerprint, keyID) = try RuntimeValue.deserialize(data, kind: .encryptedArguments)
    }
}

/// The result of a run, to decrypt with the client's keys.
public struct EncryptedResult: Sendable {
    let value: RuntimeValue
    /// The fingerprint of the client specs it was made for.
    let specsFingerprint: UInt64
    /// The identifier of the client keys it is encrypted under.
    let keyID: UInt64

    init(value: RuntimeValue, specsFingerprint: UInt64, keyID: UInt64) {
        self.value = value
        self.specsFingerprint = specsFingerprint
        self.keyID = keyID
    }

    /// The binary form (see `BinaryFormat`).
    public func serialized() -> Data {
        RuntimeValue.serialize([value], kind: .encryptedResult, fingerprint: specsFingerprint, keyID: keyID)
    }

    /// Reads a result.
    /// - Throws: `DeserializationError` saying what is wrong.
    public init(serialized data: Data) throws {
        let (values, fingerprint, keyID) = try RuntimeValue.deserialize(data, kind: .encryptedResult)
        guard values.count == 1 else { throw DeserializationError.invalidValue("a result holds one value, found \(values.count)") }
        value = values[0]
        specsFingerprint = fingerprint
        self.keyID = keyID
    }
}

extension RuntimeValue {
    static let maximumValues = 1024, maximumDimension = 1 << 22

    private enum Tag: UInt8 { case clear = 0, encrypted = 1, seeded = 2 }

    static func serialize(_ values: [RuntimeValue], kind: BinaryFormat.Kind, fingerprint: UInt64, keyID: UInt64) -> Data {
        var writer = BinaryWriter()
        writer.writeHeader(kind, fingerprint: fingerprint, keyID: keyID)
        writer.write(UInt64(values.count))
        for value in values {
            switch value {
            case let .clear(tensor):
                writer.write(Tag.clear.rawValue)
                writer.write(shape: tensor.shape)
                writer.write(words: tensor.elements.map { UInt64(bitPattern: $0) })
            case let .encrypted(shape, ciphertexts):
                writer.write(Tag.encrypted.rawValue)
                writer.write(shape: shape)
                writer.write(UInt32(ciphertexts.dimension))
                writer.write(words: ciphertexts.words)
            case let .seeded(shape, ciphertexts):
                writer.write(Tag.seeded.rawValue)
                writer.write(shape: shape)
                writer.write(UInt32(ciphertexts.dimension))
                writer.write(bytes: ciphertexts.maskSeed)
                writer.write(words: ciphertexts.bodies)
            }
        }
        return Data(writer.bytes)
    }

    static func deserialize(_ data: Data, kind: BinaryFormat.Kind) throws -> ([RuntimeValue], UInt64, UInt64) {
        var reader = BinaryReader([UInt8](data))
        let (fingerprint, keyID) = try reader.readHeader(kind)
        let count = try reader.readCount(itemSize: 9, limit: maximumValues, what: "values")
        var values = [RuntimeValue]()
        for _ in 0..<count {
            let tagByte = try reader.read(UInt8.self)
            guard let tag = Tag(rawValue: tagByte) else {
                throw DeserializationError.invalidValue("value tag \(tagByte) is not clear (0), encrypted (1) or seeded (2)")
            }
            let shape = try reader.readShape()
            let elements = Tensor.elementCount(of: shape)
            if tag == .clear {
                values.append(.clear(Tensor(int64: try reader.readWords(elements).map { Int64(bitPattern: $0) }, shape: shape)))
                continue
            }
            let dimension = Int(try reader.read(UInt32.self))
            guard (1...maximumDimension).contains(dimension) else {
                throw DeserializationError.invalidValue("LWE dimension \(dimension) is out of range")
            }
            if tag == .seeded {
                let seed = try reader.readBytes(CompressedServerKey.seedByteCount)
                let bodies = try reader.readWords(elements)
                values.append(.seeded(shape: shape, ciphertexts: try SeededLWECiphertexts(dimension: dimension, maskSeed: seed, bodies: bodies)))
            } else {
                guard reader.remaining / 8 / (dimension + 1) >= elements else {
                    throw DeserializationError.truncated(needed: (dimension + 1) * elements * 8, available: reader.remaining)
                }
                let words = try reader.readWords(elements * (dimension + 1))
                values.append(.encrypted(shape: shape, ciphertexts: try LWECiphertextList(dimension: dimension, words: words)))
            }
        }
        try reader.finish()
        return (values, fingerprint, keyID)
    }
}

/// Why a circuit could not run.
public enum RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// keygen() has not been called.
    case noKeys
    /// Arguments, keys or a result that do not belong to this circuit or these keys.
    case mismatch(String)
    /// Arguments that do not match the specs: their count, a shape or a value outside its type.
    case argument(String)
    /// A file that cannot be written or read.
    case unsupported(String)
    /// A server artifact whose run would need more memory or work than the server's budget.
    case overBudget(String)
    /// Client specs whose parameters or sizes the client's policy does not accept.
    case untrustedSpecs(String)

    public var description: String {
        switch self {
        case .noKeys: "there are no keys: call keygen() first"
        case let .argument(message), let .mismatch(message), let .unsupported(message), let .overBudget(message), let .untrustedSpecs(message): message
        }
    }
}
