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

    /// The ciphertexts with their masks. Cost: n keystream words each.
    public func expanded() throws -> [LWECiphertext] {
        let masks = try CSPRNG(seed: maskSeed)
        return bodies.map { body in
            var words = [UInt64](repeating: 0, count: dimension + 1)
            ctfhe_csprng_uniform(masks.handle, &words, dimension)
            words[dimension] = body
            return LWECiphertext(unchecked: words)
        }
    }
}
