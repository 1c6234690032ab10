internal import CTFHE
import FHEParameters

/// The keyswitching key from the big key (dimension kN) to the small key (dimension n):
/// kN·ℓ_ks LWE encryptions of each big-key bit times q/B_ks^j, j = 1…ℓ_ks.
public final class KeyswitchKey: @unchecked Sendable {
    // Immutable after init: safe to share between threads.
    let words: UnsafeMutableBufferPointer<UInt64>
    /// The parameter set the key belongs to.
    public let parameters: ParameterSet

    /// Generates the key on `threads` threads (nil: the default), with masks and noise from
    /// `seed` (fresh system seeds unless a test asks otherwise). Cost: kN·ℓ_ks LWE encryptions.
    public init(secretKeys: SecretKeys, threads: Int? = nil, seed: KeySeed = .fresh) throws {
        let p = secretKeys.parameters
        try FFTWisdom.prepare(polynomialSize: p.polynomialSize)   // the kernels validate N through its FFT
        var kernel = p.kernelParameters
        let count = ctfhe_keyswitch_key_word_count(&kernel)
        let words = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: count)
        words.initialize(repeating: 0)
        do {
            try seed.withSeeds(purpose: 4) { masks, noise in
                try checkKernel(ctfhe_keyswitch_key_generate(
                    words.baseAddress, &kernel, secretKeys.glweKey.storage.words.baseAddress,
                    secretKeys.lweKey.storage.words.baseAddress, p.lweNoiseStd, masks, noise,
                    Int32(Threading.resolved(threads))), "keyswitching key generation")
            }
        } catch {
            words.deallocate()
            throw error
        }
        self.words = words
        parameters = p
    }

    /// Bytes of the key in memory.
    public var byteCount: Int { words.count * MemoryLayout<UInt64>.size }

    deinit { words.deallocate() }
}
