internal import CTFHE

/// Fresh LWE ciphertexts whose masks come from one public 16-byte seed (AES-128-CTR, read in
/// order, n words per ciphertext): the seed and one body word per ciphertext, instead of n + 1
/// words each. `expanded()` regenerates the masks.
public struct SeededLWECiphertexts: Sendable, Hashable {
    /// n: the mask length of every ciphertext.
    public let dimension: Int
    /// The seed of the masks.
    public let maskSeed: [UInt8]
    /// One body per ciphertext.
    public let bodies: [UInt64]

    /// Wraps a seed and bodies.
    /// - Throws: `TFHEError.invalidArgument` for a seed that is not 16 bytes or a dimension below 1.
    public init(dimension: Int, maskSeed: [UInt8], bodies: [UInt64]) throws {
        guard maskSeed.count == CompressedServerKey.seedByteCount else {
            throw TFHEError.invalidArgument("a mask seed is \(CompressedServerKey.seedByteCount) bytes long, got \(maskSeed.count)")
        }
        guard dimension > 0 else { throw TFHEError.invalidArgument("an LWE dimension must be positive, got \(dimension)") }
        self.dimension = dimension
        self.maskSeed = maskSeed
        self.bodies = bodies
    }

    /// The ciphertexts with their masks, straight into one list. Cost: n keystream words each.
    public func expanded() throws -> LWECiphertextList {
        var words = [UInt64]()
        words.reserveCapacity(bodies.count * (dimension + 1))
        try forEachExpanded { words.append(contentsOf: $0) }
        return LWECiphertextList(unchecked: words, dimension: dimension)
    }

    /// The phase of every ciphertext under `key`, regenerating one mask at a time (memory: one
    /// ciphertext, whatever the count).
    /// - Throws: `TFHEError.dimensionMismatch` for a key of another dimension, before any mask is made.
    public func phases(under key: LWESecretKey) throws -> [UInt64] {
        guard key.dimension == dimension else {
            throw TFHEError.dimensionMismatch(operation: "decrypt", expected: key.dimension, actual: dimension)
        }
        var phases = [UInt64]()
        phases.reserveCapacity(bodies.count)
        try forEachExpanded { words in phases.append(ctfhe_lwe_phase(words.baseAddress, key.storage.words.baseAddress, dimension)) }
        return phases
    }

    /// Calls `body` with each ciphertext's words (mask then body) in one reused buffer.
    private func forEachExpanded(_ body: (UnsafeMutableBufferPointer<UInt64>) throws -> Void) throws {
        let masks = try CSPRNG(seed: maskSeed)
        var words = [UInt64](repeating: 0, count: dimension + 1)
        try words.withUnsafeMutableBufferPointer { buffer in
            for value in bodies {
                ctfhe_csprng_uniform(masks.handle, buffer.baseAddress, dimension)
                buffer[dimension] = value
                try body(buffer)
            }
        }
    }
}
