import FHEParameters
internal import CTFHE

/// A binary LWE secret key of dimension n, from the system CSPRNG.
///
/// The key bits never leave the value: it prints as `LWESecretKey(dimension: n)`, and its memory is
/// zeroed when the last copy goes away.
public struct LWESecretKey: Sendable, CustomStringConvertible {
    let storage: SecretKeyStorage

    /// Draws a new key of dimension `dimension` from the system CSPRNG.
    public init(dimension: Int) {
        precondition(dimension > 0, "an LWE key needs a positive dimension")
        storage = SecretKeyStorage(count: dimension)
    }

    init(storage: SecretKeyStorage) { self.storage = storage }

    /// n: the number of key bits.
    public var dimension: Int { storage.count }

    public var description: String { "LWESecretKey(dimension: \(dimension))" }

    /// Encrypts a torus value (an encoded message) with Gaussian noise of `noiseStd` (fraction of q).
    public func encrypt(plaintext: UInt64, noiseStd: Double) throws -> LWECiphertext {
        let randomness = try EncryptionRandomness()
        return encrypt(plaintext: plaintext, noiseStd: noiseStd, randomness: randomness)
    }

    /// Encrypts torus values with one pair of generators for all of them (one system seed draw).
    public func encrypt(plaintexts: [UInt64], noiseStd: Double) throws -> [LWECiphertext] {
        let randomness = try EncryptionRandomness()
        return plaintexts.map { encrypt(plaintext: $0, noiseStd: noiseStd, randomness: randomness) }
    }

    /// Encrypts torus values in seeded form: the masks come from one fresh public seed, so the
    /// ciphertexts are that seed and one body each (what a client sends).
    public func encryptSeeded(plaintexts: [UInt64], noiseStd: Double) throws -> SeededLWECiphertexts {
        let randomness = try EncryptionRandomness()
        let bodies = plaintexts.map { encrypt(plaintext: $0, noiseStd: noiseStd, randomness: randomness).body }
        return try SeededLWECiphertexts(dimension: dimension, maskSeed: randomness.maskSeed, bodies: bodies)
    }

    func encrypt(plaintext: UInt64, noiseStd: Double, randomness: EncryptionRandomness) -> LWECiphertext {
        var words = [UInt64](repeating: 0, count: dimension + 1)
        words.withUnsafeMutableBufferPointer { out in
            ctfhe_lwe_encrypt(out.baseAddress, storage.words.baseAddress, dimension, plaintext, noiseStd,
                              randomness.masks.handle, randomness.noise.handle)
        }
        return LWECiphertext(unchecked: words)
    }

    /// The phase b − ⟨a, s⟩: the plaintext plus the noise.
    /// - Throws: `TFHEError.dimensionMismatch` when the ciphertext is of another dimension.
    public func phase(of ciphertext: LWECiphertext) throws -> UInt64 {
        guard ciphertext.dimension == dimension else {
            throw TFHEError.dimensionMismatch(operation: "decrypt", expected: dimension, actual: ciphertext.dimension)
        }
        return ciphertext.words.withUnsafeBufferPointer { ctfhe_lwe_phase($0.baseAddress, storage.words.baseAddress, dimension) }
    }

    /// Decrypts and decodes a message of `encoding`.
    public func decrypt(_ ciphertext: LWECiphertext, encoding: MessageEncoding) throws -> Int {
        encoding.decode(try phase(of: ciphertext))
    }
}

/// A binary GLWE secret key: k polynomials of N coefficients, from the system CSPRNG.
///
/// Read as one array of kN bits it is the LWE key of sample-extracted ciphertexts: `asLWEKey`.
public struct GLWESecretKey: Sendable, CustomStringConvertible {
    let storage: SecretKeyStorage
    /// k: the number of polynomials.
    public let glweDimension: Int
    /// N: coefficients per polynomial.
    public let polynomialSize: Int

    /// Draws a new key from the system CSPRNG.
    public init(glweDimension: Int, polynomialSize: Int) {
        precondition(glweDimension > 0 && polynomialSize > 0, "a GLWE key needs positive dimensions")
        self.glweDimension = glweDimension
        self.polynomialSize = polynomialSize
        storage = SecretKeyStorage(count: glweDimension * polynomialSize)
    }

    init(storage: SecretKeyStorage, glweDimension: Int, polynomialSize: Int) {
        precondition(storage.count == glweDimension * polynomialSize, "a GLWE key holds k·N bits")
        self.storage = storage
        self.glweDimension = glweDimension
        self.polynomialSize = polynomialSize
    }

    /// The same bits as an LWE key of dimension kN (shared, not copied).
    public var asLWEKey: LWESecretKey { LWESecretKey(storage: storage) }

    public var description: String {
        "GLWESecretKey(glweDimension: \(glweDimension), polynomialSize: \(polynomialSize))"
    }
}

extension LWESecretKey {
    /// The phase of a ciphertext after the PBS's modulus switch to 2N, scaled back to the torus:
    /// b̃ − ⟨ã, s⟩ mod 2N, times q/2N. Its distance to the plaintext is the noise a table lookup
    /// on this ciphertext rounds: keyswitch, modulus switch and all earlier noise together.
    public func modulusSwitchedPhase(of ciphertext: LWECiphertext, polynomialSize: Int) throws -> UInt64 {
        guard ciphertext.dimension == dimension else {
            throw TFHEError.dimensionMismatch(operation: "decrypt", expected: dimension, actual: ciphertext.dimension)
        }
        guard polynomialSize > 0, polynomialSize.nonzeroBitCount == 1, Limits.polynomialSizes.contains(polynomialSize) else {
            throw TFHEError.invalidArgument("polynomial size \(polynomialSize) is not a power of two up to 2^17")
        }
        var switched = [UInt64](repeating: 0, count: ciphertext.words.count)
        ctfhe_modulus_switch(&switched, ciphertext.words, switched.count, polynomialSize)
        let phase = switched.withUnsafeBufferPointer { ctfhe_lwe_phase($0.baseAddress, storage.words.baseAddress, dimension) }
        let logTwoN = (2 * polynomialSize).trailingZeroBitCount
        return phase << UInt64(64 - logTwoN)   // mod 2N, scaled by q/2N
    }
}
