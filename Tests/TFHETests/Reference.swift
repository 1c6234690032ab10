/// Plain references that check the fast paths.
enum Reference {
    /// The negacyclic product a·b mod (X^N + 1) over Z/2^64, schoolbook: O(N²).
    static func negacyclicProduct(_ a: [UInt64], _ b: [Int64]) -> [UInt64] {
        let size = a.count
        var result = [UInt64](repeating: 0, count: size)
        for i in 0..<size where b[i] != 0 {
            let factor = UInt64(bitPattern: b[i])
            for j in 0..<size {
                let term = a[j] &* factor
                if i + j < size { result[i + j] &+= term } else { result[i + j - size] &-= term }
            }
        }
        return result
    }

    /// |x − y| on the torus, as a fraction of q.
    static func torusDistance(_ x: UInt64, _ y: UInt64) -> Double {
        abs(Double(Int64(bitPattern: x &- y))) / 18446744073709551616.0
    }
}

/// A seeded generator (SplitMix64) for reproducible test data; not for keys.
struct TestGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
