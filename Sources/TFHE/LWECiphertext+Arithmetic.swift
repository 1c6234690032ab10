/// Levelled operations: they act on ciphertexts directly and add noise (sums add variances,
/// multiplying by w multiplies the variance by w²). Wrapping arithmetic is the torus arithmetic.
extension LWECiphertext {
    private func requireSameDimension(_ other: LWECiphertext, _ operation: String) throws {
        guard other.dimension == dimension else {
            throw TFHEError.dimensionMismatch(operation: operation, expected: dimension, actual: other.dimension)
        }
    }

    /// Adds another ciphertext under the same key: the messages add.
    public mutating func add(_ other: LWECiphertext) throws {
        try requireSameDimension(other, "add")
        for index in words.indices { words[index] &+= other.words[index] }
    }

    /// The sum of two ciphertexts under the same key.
    public func adding(_ other: LWECiphertext) throws -> LWECiphertext {
        var result = self
        try result.add(other)
        return result
    }

    /// Subtracts another ciphertext under the same key: the messages subtract.
    public mutating func subtract(_ other: LWECiphertext) throws {
        try requireSameDimension(other, "subtract")
        for index in words.indices { words[index] &-= other.words[index] }
    }

    /// The difference of two ciphertexts under the same key.
    public func subtracting(_ other: LWECiphertext) throws -> LWECiphertext {
        var result = self
        try result.subtract(other)
        return result
    }

    /// Negates the message.
    public mutating func negate() {
        for index in words.indices { words[index] = 0 &- words[index] }
    }

    /// The ciphertext of the negated message.
    public func negated() -> LWECiphertext {
        var result = self
        result.negate()
        return result
    }

    /// Adds a clear plaintext (an encoded constant) to the message: only the body changes.
    public mutating func add(plaintext: UInt64) {
        body &+= plaintext
    }

    /// The ciphertext of the message plus a clear plaintext.
    public func adding(plaintext: UInt64) -> LWECiphertext {
        var result = self
        result.add(plaintext: plaintext)
        return result
    }

    /// Multiplies the message by a clear integer (the noise grows by |factor|).
    public mutating func multiply(by factor: Int) {
        let multiplier = UInt64(bitPattern: Int64(factor))
        for index in words.indices { words[index] &*= multiplier }
    }

    /// The ciphertext of the message times a clear integer.
    public func multiplied(by factor: Int) -> LWECiphertext {
        var result = self
        result.multiply(by: factor)
        return result
    }
}
