internal import CTFHE

/// Binary key words (0 or 1 each) drawn from a generator (the system CSPRNG unless a test asks
/// for a seeded one), zeroed when freed.
final class SecretKeyStorage: @unchecked Sendable {
    // Immutable after init, so sharing across threads is safe.
    let words: UnsafeMutableBufferPointer<UInt64>

    convenience init(count: Int) {
        var system = SystemRandomNumberGenerator()
        self.init(count: count, using: &system)
    }

    init(count: Int, using generator: inout some RandomNumberGenerator) {
        words = .allocate(capacity: count)
        var index = 0
        while index < count {
            var bits = generator.next() as UInt64
            for _ in 0..<Swift.min(64, count - index) {
                words[index] = bits & 1
                bits >>= 1
                index += 1
            }
        }
    }

    init(count: Int, bit: (Int) -> Bool) {
        words = .allocate(capacity: count)
        for index in 0..<count { words[index] = bit(index) ? 1 : 0 }
    }

    var count: Int { words.count }

    deinit {
        ctfhe_secure_zero(words.baseAddress, words.count * MemoryLayout<UInt64>.size)
        words.deallocate()
    }
}

/// Overwrites memory with zeros in a way the compiler may not elide (for copies of secret material).
public func secureZero(_ buffer: UnsafeMutableRawBufferPointer) {
    ctfhe_secure_zero(buffer.baseAddress, buffer.count)
}
