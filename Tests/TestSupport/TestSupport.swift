/// Helpers shared by the test targets.

/// A seeded generator (SplitMix64) for reproducible test data; never for keys.
public struct TestGenerator: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Python-style floor division (rounds toward −∞): the reference for a traced `/`.
public func floorDivide(_ a: Int, _ b: Int) -> Int {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}

/// The remainder of floor division (the sign of the divisor): the reference for a traced `%`.
public func floorRemainder(_ a: Int, _ b: Int) -> Int { a - floorDivide(a, b) * b }
