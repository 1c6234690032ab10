import Foundation

/// Why bytes could not be read as an artifact; the message says what is wrong.
public enum DeserializationError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated(needed: Int, available: Int)
    case badMagic
    case unsupportedVersion(UInt16)
    case wrongKind(expected: String, found: UInt8)
    case wrongFingerprint
    case invalidValue(String)
    case trailingBytes(Int)

    public var description: String {
        switch self {
        case let .truncated(needed, available):
            "the data is truncated: \(needed) more bytes expected, \(available) left"
        case .badMagic: "not swift-fhe data: the magic bytes are wrong"
        case let .unsupportedVersion(version):
            "format version \(version) is not supported (this build reads version \(BinaryFormat.version))"
        case let .wrongKind(expected, found): "expected \(expected), found an object of kind \(found)"
        case .wrongFingerprint: "the data belongs to another circuit or parameter set"
        case let .invalidValue(message): "invalid data: \(message)"
        case let .trailingBytes(count): "\(count) unexpected bytes after the end of the object"
        }
    }
}

/// The binary format: little-endian, a header of magic bytes "SFHE", a format version, the kind
/// of object and a fingerprint (of the circuit and parameters it belongs to), then the body.
enum BinaryFormat {
    static let magic: [UInt8] = Array("SFHE".utf8)
    static let version: UInt16 = 1

    /// Object kinds.
    enum Kind: UInt8 {
        case clientSpecs = 1, encryptedArguments = 2, encryptedResult = 3

        var name: String {
            switch self {
            case .clientSpecs: "client specs"
            case .encryptedArguments: "encrypted arguments"
            case .encryptedResult: "an encrypted result"
            }
        }
    }
}

/// Appends little-endian values.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: Double) { write(value.bitPattern) }

    mutating func writeHeader(_ kind: BinaryFormat.Kind, fingerprint: UInt64) {
        bytes.append(contentsOf: BinaryFormat.magic)
        write(BinaryFormat.version)
        write(kind.rawValue)
        write(fingerprint)
    }

    /// A count, then that many values.
    mutating func write<T: FixedWidthInteger>(array: [T]) {
        write(UInt64(array.count))
        for value in array { write(value) }
    }
}

/// Reads little-endian values, checking every length against the bytes that remain before
/// allocating anything: malformed input throws, never traps or allocates without bound.
struct BinaryReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw DeserializationError.truncated(needed: size, available: remaining) }
        var value: T = 0
        for index in 0..<size { value |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index) }
        offset += size
        return value
    }

    mutating func readDouble() throws -> Double { Double(bitPattern: try read(UInt64.self)) }

    /// A count of items of `itemSize` bytes each, at most `limit`, and no more than the bytes left.
    mutating func readCount(itemSize: Int, limit: Int, what: String) throws -> Int {
        let count = try read(UInt64.self)
        guard count <= UInt64(limit) else {
            throw DeserializationError.invalidValue("\(count) \(what) is more than the limit of \(limit)")
        }
        guard count * UInt64(max(itemSize, 1)) <= UInt64(remaining) else {
            throw DeserializationError.truncated(needed: Int(count) * itemSize, available: remaining)
        }
        return Int(count)
    }

    mutating func read<T: FixedWidthInteger>(array _: T.Type, limit: Int, what: String) throws -> [T] {
        let count = try readCount(itemSize: MemoryLayout<T>.size, limit: limit, what: what)
        return try (0..<count).map { _ in try read(T.self) }
    }

    /// Checks the header and returns the fingerprint.
    mutating func readHeader(_ kind: BinaryFormat.Kind) throws -> UInt64 {
        guard remaining >= 4 else { throw DeserializationError.truncated(needed: 4, available: remaining) }
        guard Array(bytes[offset..<(offset + 4)]) == BinaryFormat.magic else { throw DeserializationError.badMagic }
        offset += 4
        let version = try read(UInt16.self)
        guard version == BinaryFormat.version else { throw DeserializationError.unsupportedVersion(version) }
        let found = try read(UInt8.self)
        guard found == kind.rawValue else { throw DeserializationError.wrongKind(expected: kind.name, found: found) }
        return try read(UInt64.self)
    }

    /// Throws if bytes are left over.
    func finish() throws {
        if remaining != 0 { throw DeserializationError.trailingBytes(remaining) }
    }
}

/// FNV-1a, 64 bits: the fingerprint of serialized specs (an identifier, not a MAC).
func fingerprint(_ bytes: [UInt8]) -> UInt64 {
    bytes.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
}
