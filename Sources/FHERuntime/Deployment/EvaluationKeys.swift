import FHEParameters
import FHEProgram
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
/// Expansion regenerates the masks and brings the bootstrapping key to Fourier form.
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

    /// The keys in Fourier form, expanded on first use (and by `Server.evaluationKeys(serialized:)`).
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

    /// Reads keys in seeded form; they are expanded (about the cost of the bootstrapping key's
    /// FFTs) on first use, after a server has checked that they belong to its circuit. The body
    /// counts follow from the parameter set and are checked against the bytes present before
    /// anything is allocated. A server should read keys with `Server.evaluationKeys(serialized:)`,
    /// which refuses keys of another circuit before reading their bodies and expands them at once.
    /// - Throws: `DeserializationError` saying what is wrong.
    public convenience init(serialized data: Data) throws { try self.init(serialized: data, for: nil) }

    /// Reads keys; with `specs`, the header's fingerprint and parameter set are checked against
    /// them before the bodies are read, and the keys are expanded.
    convenience init(serialized data: Data, for specs: ClientSpecs?) throws {
        var reader = BinaryReader([UInt8](data))
        let (fingerprint, keyID) = try reader.readHeader(.evaluationKeys)
        let parameters = try reader.readParameters()
        try specs?.checkEvaluationKeys(fingerprint: fingerprint, parameters: parameters)
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
        if specs != nil { _ = try serverKey() }
    }
}
