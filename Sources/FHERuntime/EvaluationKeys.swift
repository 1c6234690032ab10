import FHEParameters
import Foundation
import TFHE

/// What a server needs from a client to run its circuit: the bootstrapping and keyswitching
/// keys, made by `Client.keygen()`. Nothing in them is secret.
///
/// Wire form (`serialized()`): the header (specs fingerprint and key identifier), the parameter
/// set, the two 16-byte mask seeds, then the key bodies as little-endian words: n·(k+1)·ℓ·N for
/// the bootstrapping key and kN·ℓ_ks for the keyswitching key (`CompressedServerKey`). For the
/// 4-bit set (n = 755, k = 2, N = 1024, ℓ = 1, ℓ_ks = 5) that is 18.6 MB, against 55.7 MB for the
/// Fourier bootstrapping key and 61.9 MB for the full keyswitching key in memory.
/// `init(serialized:)` regenerates the masks and brings the bootstrapping key to Fourier form.
public final class EvaluationKeys: @unchecked Sendable {
    // The seeded keys are immutable; the expanded key is set once under the lock.
    let compressed: CompressedServerKey
    let specsFingerprint: UInt64
    let keyID: UInt64
    private let lock = NSLock()
    private var expanded: ServerKey?

    init(compressed: CompressedServerKey, specsFingerprint: UInt64, keyID: UInt64) {
        self.compressed = compressed
        self.specsFingerprint = specsFingerprint
        self.keyID = keyID
    }

    /// The parameter set of the keys.
    public var parameters: ParameterSet { compressed.parameters }

    /// Bytes of `serialized()`.
    public var serializedByteCount: Int { BinaryFormat.headerByteCount + ParameterSet.serializedByteCount + compressed.byteCount }

    /// The keys in Fourier form, expanded on first use (and by `init(serialized:)`).
    func serverKey(threads: Int? = nil) throws -> ServerKey {
        try lock.withLock {
            if let expanded { return expanded }
            let key = try compressed.expanded(threads: threads)
            expanded = key
            return key
        }
    }

    /// The wire form described above.
    public func serialized() -> Data {
        var writer = BinaryWriter()
        writer.writeHeader(.evaluationKeys, fingerprint: specsFingerprint, keyID: keyID)
        writer.write(compressed.parameters)
        writer.write(bytes: compressed.bootstrapMaskSeed)
        writer.write(bytes: compressed.keyswitchMaskSeed)
        writer.write(words: compressed.bootstrapBodies)
        writer.write(words: compressed.keyswitchBodies)
        return Data(writer.bytes)
    }

    /// Reads keys and expands them (about the cost of the bootstrapping key's FFTs). The body
    /// counts follow from the parameter set and are checked against the bytes present before
    /// anything is allocated.
    /// - Throws: `DeserializationError` saying what is wrong.
    public convenience init(serialized data: Data) throws {
        var reader = BinaryReader([UInt8](data))
        let (fingerprint, keyID) = try reader.readHeader(.evaluationKeys)
        let parameters = try reader.readParameters()
        let bootstrapCount = CompressedServerKey.bootstrapBodyCount(parameters)
        let keyswitchCount = CompressedServerKey.keyswitchBodyCount(parameters)
        let expected = 2 * CompressedServerKey.seedByteCount + 8 * (bootstrapCount + keyswitchCount)
        try reader.requireRemaining(exactly: expected)
        let bootstrapSeed = try reader.readBytes(CompressedServerKey.seedByteCount)
        let keyswitchSeed = try reader.readBytes(CompressedServerKey.seedByteCount)
        let compressed = try CompressedServerKey(
            parameters: parameters, bootstrapMaskSeed: bootstrapSeed, bootstrapBodies: try reader.readWords(bootstrapCount),
            keyswitchMaskSeed: keyswitchSeed, keyswitchBodies: try reader.readWords(keyswitchCount))
        try reader.finish()
        self.init(compressed: compressed, specsFingerprint: fingerprint, keyID: keyID)
        _ = try serverKey()
    }
}

/// The secret keys of a client, to keep between sessions: `serialized()` holds the key bits, so
/// store it as you would a password. No server API accepts them. Never printed.
public struct ClientKeys: Sendable, CustomStringConvertible {
    let secretKeys: SecretKeys
    let specsFingerprint: UInt64
    /// A random identifier (not derived from the key) carried by everything made with these keys.
    let keyID: UInt64

    init(secretKeys: SecretKeys, specsFingerprint: UInt64, keyID: UInt64) {
        self.secretKeys = secretKeys
        self.specsFingerprint = specsFingerprint
        self.keyID = keyID
    }

    public var description: String { "ClientKeys(parameters: \(secretKeys.parameters), secret bits hidden)" }

    /// The header, the parameter set, then the key bits packed 8 to a byte (n bits of the LWE
    /// key, then kN of the GLWE key). The writer's own copy is wiped.
    public func serialized() -> Data {
        var writer = BinaryWriter()
        writer.writeHeader(.clientKeys, fingerprint: specsFingerprint, keyID: keyID)
        writer.write(secretKeys.parameters)
        secretKeys.withKeyBits { lwe, glwe in
            for bits in [lwe, glwe] {
                for start in stride(from: 0, to: bits.count, by: 8) {
                    var byte: UInt8 = 0
                    for bit in start..<min(start + 8, bits.count) { byte |= UInt8(truncatingIfNeeded: bits[bit]) << (bit - start) }
                    writer.write(byte)
                }
            }
        }
        defer { writer.wipe() }
        return Data(writer.bytes)
    }

    /// Reads saved keys.
    /// - Throws: `DeserializationError` saying what is wrong.
    public init(serialized data: Data) throws {
        var bytes = [UInt8](data)
        defer { bytes.withUnsafeMutableBytes { secureZero($0) } }
        var reader = BinaryReader(bytes)
        (specsFingerprint, keyID) = try reader.readHeader(.clientKeys)
        let parameters = try reader.readParameters()
        let lweBytes = (parameters.lweDimension + 7) / 8, glweBytes = (parameters.bigLWEDimension + 7) / 8
        try reader.requireRemaining(exactly: lweBytes + glweBytes)
        let start = reader.position
        func bit(_ index: Int) -> Bool { bytes[index / 8] >> (index % 8) & 1 == 1 }
        secretKeys = SecretKeys(parameters: parameters,
                                lweKeyBit: { bit(8 * start + $0) },
                                glweKeyBit: { bit(8 * (start + lweBytes) + $0) })
    }
}
