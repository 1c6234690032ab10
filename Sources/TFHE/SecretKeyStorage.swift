internal import CTFHE

/// Binary key words (0 or 1 each) drawn from the system CSPRNG, zeroed when freed.
final class SecretKeyStorage: @unchecked Sendable {
    // Immutable after init, so sharing across threads is safe.
    let words: UnsafeMutableBufferPointer<UInt64>

    init(count: Int) {
        words = .allocate(capacity: count)
        var system = SystemRandomNumberGenerator()
        var index = 0
        while index < count {
            var bits = system.next() as UInt64
            for _ in 0..<Swift.min(64, count - index) {
                words[index] = bits & 1
                bits >>= 1
                index += 1
            }
        }
    }

    init(copying source: UnsafeBufferPointer<UInt64>) {
        words = .allocate(capacity: source.count)
        _ = words.initialize(from: source)
    }

    var count: Int { words.count }

    deinit {
        ctfhe_secure_zero(words.baseAddress, words.count * MemoryLayout<UInt64>.size)
        words.deallocate()
    }
}
