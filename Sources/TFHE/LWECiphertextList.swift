/// LWE ciphertexts of one dimension in one contiguous buffer: ciphertext i is the words
/// `[i·(n+1), (i+1)·(n+1))`, mask then body. What the batched kernels read and write, and what
/// the runtime's encrypted registers hold, so that levelled loops run over contiguous memory and
/// no call to C copies ciphertexts in or out.
public struct LWECiphertextList: Sendable, Hashable {
    /// n: the mask length of every ciphertext.
    public let dimension: Int
    /// All ciphertexts' words, one after another.
    public internal(set) var words: [UInt64]

    /// n + 1: the words of one ciphertext.
    public var lweSize: Int { dimension + 1 }
    /// The number of ciphertexts.
    public var count: Int { words.count / lweSize }

    /// `count` trivial encryptions of 0.
    public init(dimension: Int, count: Int) {
        self.dimension = dimension
        words = [UInt64](repeating: 0, count: count * (dimension + 1))
    }

    /// Ciphertexts of dimension `dimension` from their words.
    /// - Throws: `TFHEError.invalidArgument` for no mask word or a word count that is not a
    ///   multiple of n + 1.
    public init(dimension: Int, words: [UInt64]) throws {
        guard dimension >= 1, words.count % (dimension + 1) == 0 else {
            throw TFHEError.invalidArgument("\(words.count) words are not LWE ciphertexts of dimension \(dimension)")
        }
        self.dimension = dimension
        self.words = words
    }

    init(unchecked words: [UInt64], dimension: Int) {
        self.dimension = dimension
        self.words = words
    }

    /// The ciphertexts one after another.
    /// - Throws: `TFHEError.dimensionMismatch` naming `operation` when they are not all of
    ///   dimension `dimension`.
    public init(_ ciphertexts: [LWECiphertext], dimension: Int, for operation: String = "a ciphertext list") throws {
        var words = [UInt64]()
        words.reserveCapacity(ciphertexts.count * (dimension + 1))
        for ciphertext in ciphertexts {
            guard ciphertext.dimension == dimension else {
                throw TFHEError.dimensionMismatch(operation: operation, expected: dimension, actual: ciphertext.dimension)
            }
            words.append(contentsOf: ciphertext.words)
        }
        self.init(unchecked: words, dimension: dimension)
    }

    /// Trivial (noiseless, insecure) encryptions of `plaintexts`: zero masks.
    public static func trivial(plaintexts: [UInt64], dimension: Int) -> LWECiphertextList {
        var list = LWECiphertextList(dimension: dimension, count: plaintexts.count)
        for (index, plaintext) in plaintexts.enumerated() { list.words[index * (dimension + 1) + dimension] = plaintext }
        return list
    }

    /// Ciphertext `index`, copied out.
    public subscript(index: Int) -> LWECiphertext {
        LWECiphertext(unchecked: Array(words[(index * lweSize)..<((index + 1) * lweSize)]))
    }

    /// Every ciphertext, copied out.
    public var ciphertexts: [LWECiphertext] { (0..<count).map { self[$0] } }
}
