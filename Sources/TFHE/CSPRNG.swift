internal import CTFHE

/// A 16-byte seed drawn from the system's CSPRNG (getrandom on Linux).
struct Seed: Sendable {
    var bytes: (UInt64, UInt64)

    static func random() -> Seed {
        var system = SystemRandomNumberGenerator()
        return Seed(bytes: (system.next(), system.next()))
    }

    func withUnsafeBytePointer<R>(_ body: (UnsafePointer<UInt8>) throws -> R) rethrows -> R {
        var copy = bytes
        defer { withUnsafeMutableBytes(of: &copy) { ctfhe_secure_zero($0.baseAddress, $0.count) } }
        return try withUnsafeBytes(of: &copy) { try body($0.bindMemory(to: UInt8.self).baseAddress!) }
    }
}

/// AES-128-CTR keyed by a fresh system seed: masks and noise for encryptions.
final class CSPRNG {
    let handle: OpaquePointer

    init(seed: Seed = .random(), stream: UInt64 = 0) throws {
        var created: OpaquePointer?
        try seed.withUnsafeBytePointer { bytes in
            try checkKernel(ctfhe_csprng_create(&created, bytes, stream), "random generator")
        }
        handle = created!
    }

    deinit { ctfhe_csprng_destroy(handle) }
}

/// The two generators of an encryption: masks (public once encrypted) and noise (secret).
struct EncryptionRandomness {
    let masks: CSPRNG
    let noise: CSPRNG

    init() throws {
        masks = try CSPRNG()
        noise = try CSPRNG()
    }
}
