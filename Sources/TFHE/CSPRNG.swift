internal import CTFHE

/// Runs `body` with two fresh 16-byte seeds from the system CSPRNG (getrandom on Linux), one for
/// masks and one for noise, and wipes them afterwards: the noise seed determines every error
/// term, so it is as secret as the key.
func withFreshSeeds<R>(_ body: (_ masks: UnsafePointer<UInt8>, _ noise: UnsafePointer<UInt8>) throws -> R) rethrows -> R {
    let seeds = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 4)
    defer {
        ctfhe_secure_zero(seeds.baseAddress, 4 * MemoryLayout<UInt64>.size)
        seeds.deallocate()
    }
    var system = SystemRandomNumberGenerator()
    for index in seeds.indices { seeds[index] = system.next() }
    let bytes = UnsafeRawPointer(seeds.baseAddress!).assumingMemoryBound(to: UInt8.self)
    return try body(bytes, bytes + 16)
}

/// Where key generation takes its seeds.
public enum KeySeed: Sendable, Hashable {
    /// Fresh seeds from the system CSPRNG: the only secure choice.
    case fresh
    /// Seeds derived from a number, for reproducible tests and benchmarks. NOT SECURE: anyone
    /// who knows the number can recompute the secret keys.
    case insecureReproducible(UInt64)

    /// The key-generation steps, each with seeds of its own.
    static let lweKeyPurpose: UInt64 = 1, glweKeyPurpose: UInt64 = 2, bootstrapKeyPurpose: UInt64 = 3, keyswitchKeyPurpose: UInt64 = 4

    /// Runs `body` with the mask and noise seeds for key-generation step `purpose`: fresh ones,
    /// or ones derived from the number and the purpose.
    func withSeeds<R>(purpose: UInt64, _ body: (_ masks: UnsafePointer<UInt8>, _ noise: UnsafePointer<UInt8>) throws -> R) rethrows -> R {
        guard case let .insecureReproducible(value) = self else { return try withFreshSeeds(body) }
        var words: (UInt64, UInt64, UInt64, UInt64) = (value, 2 * purpose, value, 2 * purpose + 1)
        return try withUnsafeBytes(of: &words) { raw in
            let bytes = raw.bindMemory(to: UInt8.self).baseAddress!
            return try body(bytes, bytes + 16)
        }
    }

    /// A generator for the key bits of step `purpose`.
    /// (Purposes 1 to 4 are the keys of `SecretKeys` and `ServerKey`; others are free for callers.)
    public func generator(purpose: UInt64) throws -> any RandomNumberGenerator {
        guard case .insecureReproducible = self else { return SystemRandomNumberGenerator() }
        return try withSeeds(purpose: purpose) { masks, _ in SeededGenerator(try CSPRNG(seed: masks)) }
    }
}

/// A RandomNumberGenerator over the AES-CTR generator (for seeded, reproducible keys).
struct SeededGenerator: RandomNumberGenerator {
    let generator: CSPRNG
    init(_ generator: CSPRNG) { self.generator = generator }
    mutating func next() -> UInt64 {
        var word: UInt64 = 0
        ctfhe_csprng_uniform(generator.handle, &word, 1)
        return word
    }
}

/// AES-128-CTR (OpenSSL) keyed by a seed: masks or noise for encryptions.
final class CSPRNG {
    let handle: OpaquePointer

    init(seed: UnsafePointer<UInt8>, stream: UInt64 = 0) throws {
        var created: OpaquePointer?
        try checkKernel(ctfhe_csprng_create(&created, seed, stream), "random generator")
        handle = created!
    }

    deinit { ctfhe_csprng_destroy(handle) }
}

/// The two generators of an encryption: masks (public once encrypted, so their seed may travel
/// in place of the masks) and noise (secret), keyed by fresh system seeds.
struct EncryptionRandomness {
    let maskSeed: [UInt8]
    let masks: CSPRNG
    let noise: CSPRNG

    init() throws {
        (maskSeed, masks, noise) = try withFreshSeeds { masks, noise in
            (Array(UnsafeBufferPointer(start: masks, count: 16)), try CSPRNG(seed: masks), try CSPRNG(seed: noise))
        }
    }
}
