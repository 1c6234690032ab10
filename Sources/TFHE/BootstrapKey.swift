internal import CTFHE
import FHEParameters

/// The bootstrapping key in Fourier form: n GGSW encryptions of the small-key bits under the
/// GLWE key, each (k+1)·ℓ rows of k+1 polynomials, as N/2 complex values per polynomial.
public final class BootstrapKey: @unchecked Sendable {
    // The C key is immutable after creation: safe to share between threads.
    let handle: OpaquePointer
    /// The parameter set the key belongs to.
    public let parameters: ParameterSet

    /// Generates the key on `threads` threads (nil: the default), with masks and noise from
    /// `seed` (fresh system seeds unless a test asks otherwise).
    /// Cost: n·(k+1)·ℓ GLWE encryptions and (k+1) FFTs each.
    public init(secretKeys: SecretKeys, threads: Int? = nil, seed: KeySeed = .fresh) throws {
        let p = secretKeys.parameters
        try FFTWisdom.prepare(polynomialSize: p.polynomialSize)
        var kernel = p.kernelParameters
        var created: OpaquePointer?
        try seed.withSeeds(purpose: KeySeed.bootstrapKeyPurpose) { masks, noise in
            try checkKernel(ctfhe_bootstrap_key_create(
                &created, &kernel, secretKeys.lweKey.storage.words.baseAddress,
                secretKeys.glweKey.storage.words.baseAddress, p.glweNoiseStd, masks, noise,
                Int32(Threading.resolved(threads))), "bootstrapping key generation")
        }
        handle = created!
        parameters = p
    }

    init(handle: OpaquePointer, parameters: ParameterSet) {
        self.handle = handle
        self.parameters = parameters
    }

    /// Bytes of the Fourier key in memory.
    public var byteCount: Int {
        var kernel = parameters.kernelParameters
        return ctfhe_bootstrap_key_byte_count(&kernel)
    }

    deinit { ctfhe_bootstrap_key_destroy(handle) }
}

/// What a server needs to compute on ciphertexts: the bootstrapping and keyswitching keys.
public struct ServerKey: Sendable {
    /// The parameter set of both keys.
    public let parameters: ParameterSet
    /// The bootstrapping key, in Fourier form.
    public let bootstrapKey: BootstrapKey
    /// The keyswitching key.
    public let keyswitchKey: KeyswitchKey

    /// Generates both keys from the secret keys, on `threads` threads (nil: the default), with
    /// masks and noise from `seed` (fresh system seeds unless a test asks otherwise).
    public init(secretKeys: SecretKeys, threads: Int? = nil, seed: KeySeed = .fresh) throws {
        parameters = secretKeys.parameters
        bootstrapKey = try BootstrapKey(secretKeys: secretKeys, threads: threads, seed: seed)
        keyswitchKey = try KeyswitchKey(secretKeys: secretKeys, threads: threads, seed: seed)
    }

    init(parameters: ParameterSet, bootstrapKey: BootstrapKey, keyswitchKey: KeyswitchKey) {
        self.parameters = parameters
        self.bootstrapKey = bootstrapKey
        self.keyswitchKey = keyswitchKey
    }

    /// Bytes of the bootstrapping key in memory.
    public var bootstrapKeyBytes: Int { bootstrapKey.byteCount }
    /// Bytes of the keyswitching key in memory.
    public var keyswitchKeyBytes: Int { keyswitchKey.byteCount }
}
