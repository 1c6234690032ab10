import FHEParameters
import FHEProgram
import Foundation
import TFHE

/// What a server needs from a client to run its circuit: the bootstrapping and keyswitching
/// keys, and for a circuit with wide lookups the circuit bootstrapping keys, made by
/// `Client.keygen()`. Nothing in them is secret.
///
/// Wire form (`serialized()`): the header (specs fingerprint and key identifier), the parameter
/// set, the two 16-byte mask seeds, then the key bodies as little-endian words: n·(k+1)·ℓ·N for
/// the bootstrapping key and kN·ℓ_ks for the keyswitching key (`CompressedServerKey`); then the
/// wide-lookup decompositions (a presence byte and six bytes) and, when present, the circuit
/// bootstrapping keys' 16-byte mask seed and their k + 1 components' bodies, (kN+1)·ℓ_pks·N
/// words each (`CompressedCircuitBootstrapKey`). For the
/// 4-bit set (n = 755, k = 2, N = 1024, ℓ = 1, ℓ_ks = 5) that is 18.6 MB, against 55.7 MB for the
/// Fourier bootstrapping key and 61.9 MB for the full keyswitching key in memory.
/// Expansion regenerates the masks and brings the bootstrapping key to Fourier form.
public final class EvaluationKeys: @unchecked Sendable {
    // The seeded keys are immutable; the expanded keys are set once under the lock.
    let compressed: CompressedServerKey
    let compressedCircuitKey: CompressedCircuitBootstrapKey?
    let specsFingerprint: UInt64
    let keyID: UInt64
    private let lock = NSLock()
    private var expanded: (serverKey: ServerKey, circuitKey: CircuitBootstrapKey?)?

    init(compressed: CompressedServerKey, circuitKey: CompressedCircuitBootstrapKey?, specsFingerprint: UInt64, keyID: UInt64) {
        self.compressed = compressed
        compressedCircuitKey = circuitKey
        self.specsFingerprint = specsFingerprint
        self.keyID = keyID
    }

    /// The parameter set of the keys.
    public var parameters: ParameterSet { compressed.parameters }

    /// The decompositions of the circuit bootstrapping keys (nil without them).
    public var wideLookup: WideLookupParameters? { compressedCircuitKey?.wide }

    /// Bytes of `serialized()`.
    public var serializedByteCount: Int {
        BinaryFormat.headerByteCount + ParameterSet.serializedByteCount + compressed.byteCount + 1
            + (compressedCircuitKey.map { 6 + CompressedServerKey.seedByteCount + 8 * $0.bodies.map(\.count).reduce(0, +) } ?? 0)
    }

    /// The keys in Fourier form and the circuit bootstrapping keys, expanded on first use (and
    /// by `Server.evaluationKeys(serialized:)`).
    func expandedKeys(threads: Int? = nil) throws -> (serverKey: ServerKey, circuitKey: CircuitBootstrapKey?) {
        try lock.withLock {
            if let expanded { return expanded }
            let keys = (try compressed.expanded(threads: threads), try compressedCircuitKey?.expanded())
            expanded = keys
            return keys
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
        writer.write(compressedCircuitKey?.wide)
        if let circuitKey = compressedCircuitKey {
            writer.write(bytes: circuitKey.maskSeed)
            for bodies in circuitKey.bodies { writer.write(words: bodies) }
        }
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
        let seedBytes = CompressedServerKey.seedByteCount
        // The decompositions come after the bodies: read them first, so that keys without the
        // circuit's are refused and every count is checked before a body is read.
        let bodiesEnd = reader.position + 2 * seedBytes + 8 * (bootstrapCount + keyswitchCount)
        var tail = try reader.skipping(to: bodiesEnd)
        let wide = try tail.readWideLookupParameters()
        try specs?.checkEvaluationKeys(wideLookup: wide)
        let circuitCount = wide.map { CompressedCircuitBootstrapKey.bodyCount(parameters, $0) } ?? 0
        try tail.requireRemaining(exactly: wide == nil ? 0 : seedBytes + 8 * circuitCount * (parameters.glweDimension + 1))
        let bootstrapSeed = try reader.readBytes(seedBytes)
        let keyswitchSeed = try reader.readBytes(seedBytes)
        let compressed = try CompressedServerKey(
            parameters: parameters, bootstrapMaskSeed: bootstrapSeed, bootstrapBodies: try reader.readWords(bootstrapCount),
            keyswitchMaskSeed: keyswitchSeed, keyswitchBodies: try reader.readWords(keyswitchCount))
        let circuitKey = try wide.map { wide in
            let seed = try tail.readBytes(seedBytes)
            let bodies = try (0...parameters.glweDimension).map { _ in try tail.readWords(circuitCount) }
            return try CompressedCircuitBootstrapKey(parameters: parameters, wide: wide, maskSeed: seed, bodies: bodies)
        }
        try tail.finish()
        self.init(compressed: compressed, circuitKey: circuitKey, specsFingerprint: fingerprint, keyID: keyID)
        if specs != nil { _ = try expandedKeys() }
    }
}
