import FHEParameters

/// Why bytes could not be read as an artifact; the message says what is wrong.
public enum DeserializationError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated(needed: Int, available: Int)
    case badMagic
    case unsupportedVersion(UInt16)
    case wrongKind(expected: String, found: UInt8)
    case wrongFingerprint
    case wrongKey
    case invalidValue(String)
    case trailingBytes(Int)

    public var description: String {
        switch self {
        case let .truncated(needed, available):
            "the data is truncated: \(needed) more bytes expected, \(available) left"
        case .badMagic: "not swift-fhe data: the magic bytes are wrong"
        case let .unsupportedVersion(version):
            "format version \(version) is not supported: this build reads version \(BinaryFormat.version) only; make the object again with this build"
        case let .wrongKind(expected, found): "expected \(expected), found an object of kind \(found)"
        case .wrongFingerprint: "the data belongs to another circuit or parameter set"
        case .wrongKey: "the data belongs to another key: it was made with other client keys"
        case let .invalidValue(message): "invalid data: \(message)"
        case let .trailingBytes(count): "\(count) unexpected bytes after the end of the object"
        }
    }
}

/// The binary format: little-endian, a header of magic bytes "SFHE", a format version, the kind
/// of object, the fingerprint of the client specs it belongs to (the circuit and its parameters)
/// and the identifier of the client keys it was made with (0 for objects of no key), then the body.
package enum BinaryFormat {
    package static let magic: [UInt8] = Array("SFHE".utf8)
    package static let version: UInt16 = 3
    /// Magic, version, kind, specs fingerprint, key identifier.
    package static let headerByteCount = 4 + 2 + 1 + 8 + 8

    /// Object kinds.
    package enum Kind: UInt8 {
        case clientSpecs = 1, encryptedArguments = 2, encryptedResult = 3, evaluationKeys = 4, clientKeys = 5, server = 6
        case modelClientSpecs = 7

        package var name: String {
            switch self {
            case .clientSpecs: "client specs"
            case .encryptedArguments: "encrypted arguments"
            case .encryptedResult: "an encrypted result"
            case .evaluationKeys: "evaluation keys"
            case .clientKeys: "client keys"
            case .server: "a server artifact"
            case .modelClientSpecs: "model client specs"
            }
        }
    }
}

/// Appends little-endian values.
package struct BinaryWriter {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    package mutating func write(_ value: Double) { write(value.bitPattern) }

    package mutating func write(shape: [Int]) { write(array: shape.map(UInt32.init)) }

    package mutating func writeHeader(_ kind: BinaryFormat.Kind, fingerprint: UInt64, keyID: UInt64 = 0) {
        bytes.append(contentsOf: BinaryFormat.magic)
        write(BinaryFormat.version)
        write(kind.rawValue)
        write(fingerprint)
        write(keyID)
    }

    /// Raw bytes, without a count.
    package mutating func write(bytes raw: some Sequence<UInt8>) { bytes.append(contentsOf: raw) }

    /// Words, without a count.
    package mutating func write(words: [UInt64]) {
        #if _endian(little)
        words.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for word in words { write(word) }
        #endif
    }

    /// A count, then that many values.
    package mutating func write<T: FixedWidthInteger>(array: [T]) {
        write(UInt64(array.count))
        for value in array { write(value) }
    }
}

/// Reads little-endian values, checking every length against the bytes that remain before
/// allocating anything: malformed input throws, never traps or allocates without bound.
package struct BinaryReader {
    private let bytes: [UInt8]
    private var offset = 0

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package var remaining: Int { bytes.count - offset }

    package mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw DeserializationError.truncated(needed: size, available: remaining) }
        var value: T = 0
        for index in 0..<size { value |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index) }
        offset += size
        return value
    }

    package mutating func readDouble() throws -> Double { Double(bitPattern: try read(UInt64.self)) }

    /// A count of items of `itemSize` bytes each, at most `limit`, and no more than the bytes left.
    package mutating func readCount(itemSize: Int, limit: Int, what: String) throws -> Int {
        let count = try read(UInt64.self)
        guard count <= UInt64(limit) else {
            throw DeserializationError.invalidValue("\(count) \(what) is more than the limit of \(limit)")
        }
        guard count * UInt64(max(itemSize, 1)) <= UInt64(remaining) else {
            throw DeserializationError.truncated(needed: Int(count) * itemSize, available: remaining)
        }
        return Int(count)
    }

    package mutating func read<T: FixedWidthInteger>(array _: T.Type, limit: Int, what: String) throws -> [T] {
        let count = try readCount(itemSize: MemoryLayout<T>.size, limit: limit, what: what)
        return try (0..<count).map { _ in try read(T.self) }
    }

    /// Checks the header and returns the specs fingerprint and the key identifier.
    package mutating func readHeader(_ kind: BinaryFormat.Kind) throws -> (fingerprint: UInt64, keyID: UInt64) {
        guard remaining >= 4 else { throw DeserializationError.truncated(needed: 4, available: remaining) }
        guard Array(bytes[offset..<(offset + 4)]) == BinaryFormat.magic else { throw DeserializationError.badMagic }
        offset += 4
        let version = try read(UInt16.self)
        guard version == BinaryFormat.version else { throw DeserializationError.unsupportedVersion(version) }
        let found = try read(UInt8.self)
        guard found == kind.rawValue else { throw DeserializationError.wrongKind(expected: kind.name, found: found) }
        return (try read(UInt64.self), try read(UInt64.self))
    }

    /// A tensor shape: at most 8 dimensions and `Program.maximumElements` elements.
    package mutating func readShape() throws -> [Int] {
        let shape = try read(array: UInt32.self, limit: Limits.maximumTensorRank, what: "dimensions").map(Int.init)
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Program.maximumElements else {
                throw DeserializationError.invalidValue("a tensor of shape \(shape) is too large")
            }
            elements = product
        }
        return shape
    }

    /// `count` words, checked against the bytes left before anything is allocated.
    package mutating func readWords(_ count: Int) throws -> [UInt64] {
        guard count >= 0, remaining / 8 >= count else {
            throw DeserializationError.truncated(needed: count.multipliedReportingOverflow(by: 8).partialValue, available: remaining)
        }
        let words = bytes.withUnsafeBytes { raw in
            (0..<count).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8 * $0, as: UInt64.self)) }
        }
        offset += 8 * count
        return words
    }

    /// `count` bytes.
    package mutating func readBytes(_ count: Int) throws -> [UInt8] {
        guard remaining >= count else { throw DeserializationError.truncated(needed: count, available: remaining) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// The bytes from `start` to the current position (for fingerprints of a body).
    package func bytes(from start: Int) -> ArraySlice<UInt8> { bytes[start..<offset] }

    /// The bytes not read yet.
    package var rest: ArraySlice<UInt8> { bytes[offset...] }

    /// The current position.
    package var position: Int { offset }

    /// A reader of the same bytes at `position`, ahead of this one: to read a later field first.
    package func skipping(to position: Int) throws -> BinaryReader {
        guard position >= offset, position <= bytes.count else {
            throw DeserializationError.truncated(needed: position - offset, available: remaining)
        }
        var reader = self
        reader.offset = position
        return reader
    }

    /// Throws unless exactly `count` bytes are left (a body whose size the parameters fix).
    package func requireRemaining(exactly count: Int) throws { try Self.require(present: remaining, exactly: count) }

    /// Throws unless `present` bytes are exactly the `count` a body needs: truncated or trailing.
    package static func require(present: Int, exactly count: Int) throws {
        if present < count { throw DeserializationError.truncated(needed: count, available: present) }
        if present > count { throw DeserializationError.trailingBytes(present - count) }
    }

    /// Throws if bytes are left over.
    package func finish() throws {
        if remaining != 0 { throw DeserializationError.trailingBytes(remaining) }
    }
}

/// FNV-1a, 64 bits: the fingerprint of serialized specs (an identifier, not a MAC).
package func fingerprint(_ bytes: some Sequence<UInt8>) -> UInt64 {
    bytes.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
}
