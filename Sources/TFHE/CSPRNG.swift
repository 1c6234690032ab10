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

/// The two generators of an encryption: masks (public once encrypted) and noise (secret),
/// keyed by fresh system seeds.
struct EncryptionRandomness {
    let masks: CSPRNG
    let noise: CSPRNG

    init() throws {
        (masks, noise) = try withFreshSeeds { masks, noise in (try CSPRNG(seed: masks), try CSPRNG(seed: noise)) }
    }
}
