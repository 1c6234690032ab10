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
    public convenience init(secretKeys: SecretKeys, threads: Int? = nil, seed: KeySeed = .fresh) throws {
        let p = secretKeys.parameters
        var kernel = p.kernelParameters
        let threadCount = Int32(Threading.resolved(threads))
        try self.init(parameters: p) { words in
            seed.withSeeds(purpose: KeySeed.keyswitchKeyPurpose) { masks, noise in
                ctfhe_keyswitch_key_generate(words, &kernel, secretKeys.glweKey.storage.words.baseAddress,
                                             secretKeys.lweKey.storage.words.baseAddress, p.lweNoiseStd, masks, noise,
                                             threadCount)
            }
        }
    }

    /// A key whose words `fill` writes (a kernel returning its status).
    init(parameters: ParameterSet, fill: (UnsafeMutablePointer<UInt64>?) throws -> ctfhe_status) throws {
        try FFTWisdom.prepare(polynomialSize: parameters.polynomialSize)   // the kernels validate N through its FFT
        var kernel = parameters.kernelParameters
        // Uninitialized: every kernel that fills a key writes every word.
        let words = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: ctfhe_keyswitch_key_word_count(&kernel))
        do {
            try checkKernel(try fill(words.baseAddress), "keyswitching key generation")
        } catch {
            words.deallocate()
            throw error
        }
        self.words = words
        self.parameters = parameters
    }

    /// Bytes of the key in memory.
    public var byteCount: Int { words.count * MemoryLayout<UInt64>.size }

    deinit { words.deallocate() }
}
