/// Levelled operations on whole lists and on their elements, in place over the contiguous
/// words (see `LWECiphertext+Arithmetic.swift` for what each does to the message and noise).
extension LWECiphertextList {
    private func requireSameShape(_ other: LWECiphertextList, _ operation: String) throws {
        guard other.dimension == dimension else {
            throw TFHEError.dimensionMismatch(operation: operation, expected: dimension, actual: other.dimension)
        }
        guard other.count == count else {
            throw TFHEError.invalidArgument("\(operation) of \(count) and \(other.count) ciphertexts")
        }
    }

    /// Adds `other` elementwise (same dimension and count).
    public mutating func add(_ other: LWECiphertextList) throws {
        try requireSameShape(other, "add")
        for index in words.indices { words[index] &+= other.words[index] }
    }

    /// Subtracts `other` elementwise (same dimension and count).
    public mutating func subtract(_ other: LWECiphertextList) throws {
        try requireSameShape(other, "subtract")
        for index in words.indices { words[index] &-= other.words[index] }
    }

    /// Negates every message.
    public mutating func negate() {
        for index in words.indices { words[index] = 0 &- words[index] }
    }

    /// Adds a clear plaintext to every message: only the bodies change.
    public mutating func add(plaintext: UInt64) {
        for index in 0..<count { words[index * lweSize + dimension] &+= plaintext }
    }

    /// Multiplies every message by a clear integer.
    public mutating func multiply(by factor: Int) {
        let multiplier = UInt64(bitPattern: Int64(factor))
        for index in words.indices { words[index] &*= multiplier }
    }

    /// The list with every message times a clear integer.
    public func multiplied(by factor: Int) -> LWECiphertextList {
        var result = self
        result.multiply(by: factor)
        return result
    }

    /// Element `target` += `factor` · element `source` of `other` (same dimension): the step of
    /// every sum, broadcast and linear map.
    /// - Precondition: the dimensions agree and the indices are in range (a programmer error).
    public mutating func accumulate(_ target: Int, _ other: LWECiphertextList, _ source: Int, times factor: Int64 = 1) {
        precondition(other.dimension == dimension, "accumulating ciphertexts of dimension \(other.dimension) into \(dimension)")
        let size = lweSize, multiplier = UInt64(bitPattern: factor)
        words.withUnsafeMutableBufferPointer { out in
            other.words.withUnsafeBufferPointer { input in
                let to = target * size, from = source * size
                if factor == 1 {
                    for offset in 0..<size { out[to + offset] &+= input[from + offset] }
                } else {
                    for offset in 0..<size { out[to + offset] &+= multiplier &* input[from + offset] }
                }
            }
        }
    }

    /// Appends the ciphertexts of `other` (same dimension).
    /// - Precondition: the dimensions agree (a programmer error).
    public mutating func append(contentsOf other: LWECiphertextList) {
        precondition(other.dimension == dimension, "appending ciphertexts of dimension \(other.dimension) to \(dimension)")
        words += other.words
    }
}
