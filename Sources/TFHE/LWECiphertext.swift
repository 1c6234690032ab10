/// An LWE ciphertext over Z/2^64: the mask a₁…aₙ then the body b = Σ aᵢsᵢ + μ + e.
public struct LWECiphertext: Sendable, Hashable {
    /// The n + 1 words: mask then body.
    public internal(set) var words: [UInt64]

    /// Wraps words as a ciphertext of dimension words.count − 1.
    /// - Throws: `TFHEError.invalidArgument` when there is no mask word.
    public init(words: [UInt64]) throws {
        guard words.count >= 2 else {
            throw TFHEError.invalidArgument("an LWE ciphertext needs at least one mask word and a body, got \(words.count) words")
        }
        self.words = words
    }

    init(unchecked words: [UInt64]) { self.words = words }

    /// A trivial (noiseless, insecure) encryption of `plaintext`: zero mask.
    public static func trivial(plaintext: UInt64, dimension: Int) -> LWECiphertext {
        var words = [UInt64](repeating: 0, count: dimension + 1)
        words[dimension] = plaintext
        return LWECiphertext(unchecked: words)
    }

    /// n: the mask length.
    public var dimension: Int { words.count - 1 }

    /// The body b.
    public var body: UInt64 {
        get { words[words.count - 1] }
        set { words[words.count - 1] = newValue }
    }
}
