import FHEParameters

/// The secret keys of one parameter set: the small LWE key (dimension n) and the GLWE key
/// (k polynomials of N bits), both from the system CSPRNG.
///
/// Values live under the big key: the GLWE key read as an LWE key of dimension kN (the
/// atomic pattern of DESIGN.md §3). Never printed, zeroed when freed.
public struct SecretKeys: Sendable, CustomStringConvertible {
    /// The parameter set the keys were drawn for.
    public let parameters: ParameterSet
    /// The small key: keyswitch output, PBS input.
    public let lweKey: LWESecretKey
    /// The big key: PBS output; where values live.
    public let glweKey: GLWESecretKey

    /// Draws new keys for `parameters` from the system CSPRNG.
    public init(parameters: ParameterSet) {
        self.parameters = parameters
        lweKey = LWESecretKey(dimension: parameters.lweDimension)
        glweKey = GLWESecretKey(glweDimension: parameters.glweDimension, polynomialSize: parameters.polynomialSize)
    }

    /// Keys from `seed`: `.fresh` draws from the system CSPRNG like `init(parameters:)`;
    /// `.insecureReproducible(n)` gives the same keys for the same n (tests only: NOT SECURE).
    public init(parameters: ParameterSet, seed: KeySeed) throws {
        self.parameters = parameters
        var lweBits = try seed.generator(purpose: KeySeed.lweKeyPurpose), glweBits = try seed.generator(purpose: KeySeed.glweKeyPurpose)
        lweKey = LWESecretKey(storage: SecretKeyStorage(count: parameters.lweDimension, using: &lweBits))
        glweKey = GLWESecretKey(storage: SecretKeyStorage(count: parameters.bigLWEDimension, using: &glweBits),
                                glweDimension: parameters.glweDimension, polynomialSize: parameters.polynomialSize)
    }

    /// Keys from their bits (saved client keys): `lweKeyBit(i)` for i < n, `glweKeyBit(i)` for i < kN.
    public init(parameters: ParameterSet, lweKeyBit: (Int) -> Bool, glweKeyBit: (Int) -> Bool) {
        self.parameters = parameters
        lweKey = LWESecretKey(storage: SecretKeyStorage(count: parameters.lweDimension, bit: lweKeyBit))
        glweKey = GLWESecretKey(storage: SecretKeyStorage(count: parameters.bigLWEDimension, bit: glweKeyBit),
                                glweDimension: parameters.glweDimension, polynomialSize: parameters.polynomialSize)
    }

    /// Runs `body` on the key bits (0 or 1 words: n of the LWE key, kN of the GLWE key), to save
    /// them. The buffers are the keys' own: do not keep them past `body`.
    public func withKeyBits<R>(_ body: (_ lwe: UnsafeBufferPointer<UInt64>, _ glwe: UnsafeBufferPointer<UInt64>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(lweKey.storage.words), UnsafeBufferPointer(glweKey.storage.words))
    }

    /// The big key as an LWE key of dimension kN.
    public var bigLWEKey: LWESecretKey { glweKey.asLWEKey }

    public var description: String { "SecretKeys(\(parameters))" }

    /// Encrypts a message under the big key, with the GLWE noise of the parameter set.
    public func encrypt(_ message: Int, encoding: MessageEncoding) throws -> LWECiphertext {
        try bigLWEKey.encrypt(plaintext: encoding.encode(message), noiseStd: parameters.glweNoiseStd)
    }

    /// Encrypts messages under the big key, with one pair of generators for all of them.
    public func encrypt(_ messages: [Int], encoding: MessageEncoding) throws -> [LWECiphertext] {
        try bigLWEKey.encrypt(plaintexts: messages.map(encoding.encode), noiseStd: parameters.glweNoiseStd)
    }

    /// Decrypts a ciphertext under the big key.
    /// - Throws: `TFHEError.dimensionMismatch` for a ciphertext of another dimension.
    public func decrypt(_ ciphertext: LWECiphertext, encoding: MessageEncoding) throws -> Int {
        try bigLWEKey.decrypt(ciphertext, encoding: encoding)
    }
}
