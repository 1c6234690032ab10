import FHEParameters

/// Helpers shared by the test targets.

/// A seeded generator for reproducible test data; never for keys.
public typealias TestGenerator = SeededGenerator

/// Python-style floor division (rounds toward −∞): the reference for a traced `/`.
public func floorDivide(_ a: Int, _ b: Int) -> Int {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}

/// The remainder of floor division (the sign of the divisor): the reference for a traced `%`.
public func floorRemainder(_ a: Int, _ b: Int) -> Int { a - floorDivide(a, b) * b }
