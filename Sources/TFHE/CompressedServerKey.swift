internal import CTFHE
import FHEParameters

/// The evaluation keys in seeded form, as they travel from a client to a server: the mask of
/// every key ciphertext is regenerated from a public 16-byte seed (AES-128-CTR, OpenSSL), so only
/// the bodies are kept. The bootstrapping key shrinks from n·(k+1)²·ℓ·N doubles (Fourier form) to
/// n·(k+1)·ℓ·N words, the keyswitching key from kN·ℓ_ks·(n+1) words to kN·ℓ_ks.
///
/// `expanded()` rebuilds exactly the `ServerKey` that the same seeds give (`ServerKey(secretKeys:seed:)`).
/// Nothing here is secret: the noise seeds, which are, never leave key generation.
public struct CompressedServerKey: Sendable {
    /// The parameter set of both keys.
    public let parameters: ParameterSet
    /// The seed of the bootstrapping key's masks (16 bytes).
    public let bootstrapMaskSeed: [UInt8]
    /// The body polynomials of the bootstrapping key: GGSW i, row (c, ℓ) at ((i·(k+1) + c)·ℓ_pbs + ℓ)·N.
    public let bootstrapBodies: [UInt64]
    /// The seed of the keyswitching key's masks (16 bytes).
    public let keyswitchMaskSeed: [UInt8]
    /// The bodies of the keyswitching key: input bit i, level j at i·ℓ_ks + j.
    public let keyswitchBodies: [UInt64]

    /// The length of every mask seed.
    public static let seedByteCount = 16

    /// - Throws: `TFHEError.invalidArgument` unless every seed is `seedByteCount` bytes long.
    static func checkMaskSeeds(_ seeds: [UInt8]...) throws {
        guard seeds.allSatisfy({ $0.count == seedByteCount }) else {
            throw TFHEError.invalidArgument("mask seeds are \(seedByteCount) bytes long")
        }
    }

    /// Generates the keys from the secret keys on `threads` threads (nil: the default), with
    /// masks and noise from `seed` (fresh system seeds unless a test asks otherwise).
    public init(secretKeys: SecretKeys, threads: Int? = nil, seed: KeySeed = .fresh) throws {
        let p = secretKeys.parameters
        try FFTWisdom.prepare(polynomialSize: p.polynomialSize)
        var kernel = p.kernelParameters
        let threadCount = Int32(Threading.resolved(threads))
        let lweKey = secretKeys.lweKey.storage.words.baseAddress, glweKey = secretKeys.glweKey.storage.words.baseAddress
        (bootstrapMaskSeed, bootstrapBodies) = try Self.generate(
            count: ctfhe_seeded_bootstrap_key_word_count(&kernel), seed: seed, purpose: KeySeed.bootstrapKeyPurpose
        ) { bodies, masks, noise in
            ctfhe_seeded_bootstrap_key_generate(bodies, &kernel, lweKey, glweKey, p.glweNoiseStd, masks, noise, threadCount)
        }
        (keyswitchMaskSeed, keyswitchBodies) = try Self.generate(
            count: ctfhe_seeded_keyswitch_key_word_count(&kernel), seed: seed, purpose: KeySeed.keyswitchKeyPurpose
        ) { bodies, masks, noise in
            ctfhe_seeded_keyswitch_key_generate(bodies, &kernel, glweKey, lweKey, p.lweNoiseStd, masks, noise, threadCount)
        }
        parameters = p
    }

    private static func generate(
        count: Int, seed: KeySeed, purpose: UInt64,
        _ kernel: (UnsafeMutablePointer<UInt64>?, UnsafePointer<UInt8>, UnsafePointer<UInt8>) -> ctfhe_status
    ) throws -> (maskSeed: [UInt8], bodies: [UInt64]) {
        try seed.withSeeds(purpose: purpose) { masks, noise in
            // Uninitialized: the kernel writes every body.
            let bodies = try [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
                try checkKernel(kernel(buffer.baseAddress, masks, noise), "seeded key generation")
                initialized = count
            }
            return (Array(UnsafeBufferPointer(start: masks, count: seedByteCount)), bodies)
        }
    }

    /// Keys read from elsewhere (a file, the network): checks that the seeds and body counts fit
    /// the parameters.
    /// - Throws: `TFHEError.invalidArgument` saying what does not fit.
    public init(parameters: ParameterSet, bootstrapMaskSeed: [UInt8], bootstrapBodies: [UInt64],
                keyswitchMaskSeed: [UInt8], keyswitchBodies: [UInt64]) throws {
        try Self.checkMaskSeeds(bootstrapMaskSeed, keyswitchMaskSeed)
        guard bootstrapBodies.count == Self.bootstrapBodyCount(parameters),
              keyswitchBodies.count == Self.keyswitchBodyCount(parameters) else {
            throw TFHEError.invalidArgument("the key bodies (\(bootstrapBodies.count) and \(keyswitchBodies.count) words) "
                + "do not fit \(parameters): expected \(Self.bootstrapBodyCount(parameters)) and \(Self.keyswitchBodyCount(parameters))")
        }
        self.parameters = parameters
        self.bootstrapMaskSeed = bootstrapMaskSeed
        self.bootstrapBodies = bootstrapBodies
        self.keyswitchMaskSeed = keyswitchMaskSeed
        self.keyswitchBodies = keyswitchBodies
    }

    /// Words of the bootstrapping key's bodies for `parameters`.
    public static func bootstrapBodyCount(_ parameters: ParameterSet) -> Int { parameters.seededBootstrapKeyBytes / 8 }
    /// Words of the keyswitching key's bodies for `parameters`.
    public static func keyswitchBodyCount(_ parameters: ParameterSet) -> Int { parameters.seededKeyswitchKeyBytes / 8 }

    /// Bytes of the seeded keys (seeds and bodies).
    public var byteCount: Int { 2 * Self.seedByteCount + 8 * (bootstrapBodies.count + keyswitchBodies.count) }

    /// The server key: masks regenerated from the seeds, the bootstrapping key brought to Fourier
    /// form. Cost: about the bootstrapping key's FFTs, on `threads` threads (nil: the default).
    public func expanded(threads: Int? = nil) throws -> ServerKey {
        try FFTWisdom.prepare(polynomialSize: parameters.polynomialSize)
        var kernel = parameters.kernelParameters
        let threadCount = Int32(Threading.resolved(threads))
        var created: OpaquePointer?
        try checkKernel(ctfhe_bootstrap_key_expand(&created, &kernel, bootstrapBodies, bootstrapMaskSeed, threadCount),
                        "bootstrapping key expansion")
        let bootstrapKey = BootstrapKey(handle: created!, parameters: parameters)
        let keyswitchKey = try KeyswitchKey(parameters: parameters) { words in
            ctfhe_keyswitch_key_expand(words, &kernel, keyswitchBodies, keyswitchMaskSeed, threadCount)
        }
        return ServerKey(parameters: parameters, bootstrapKey: bootstrapKey, keyswitchKey: keyswitchKey)
    }
}
