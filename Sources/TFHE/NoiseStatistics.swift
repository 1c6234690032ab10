/// Noise measured with a secret key: torus errors and their spread.
enum NoiseStatistics {
    /// The signed difference x − y on the torus, as a fraction of q.
    static func torusError(_ x: UInt64, _ y: UInt64) -> Double {
        Double(Int64(bitPattern: x &- y)) / 18446744073709551616.0
    }

    /// The sample standard deviation (mean removed) of at least two values.
    static func standardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }
}
