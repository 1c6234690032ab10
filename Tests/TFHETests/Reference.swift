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
