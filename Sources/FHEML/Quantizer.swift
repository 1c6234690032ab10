import Foundation

/// A uniform affine quantizer: a real value x is the integer q = clamp(round(x / scale) + zeroPoint)
/// of `bits` bits, and q stands for (q − zeroPoint)·scale.
///
/// | quantity | unsigned | signed |
/// |---|---|---|
/// | integers | 0 … 2^b − 1 | −2^(b−1) … 2^(b−1) − 1 |
/// | calibration on [min, max] | scale = (max − min)/(2^b − 1), zero point = round(−min/scale) | the same, shifted by −2^(b−1) |
/// | symmetric | — | zero point 0, scale = max(|min|, |max|)/(2^(b−1) − 1) |
///
/// The range is widened to contain 0 (so that 0 is exact, like Concrete ML's quantizers); a
/// constant range gets scale 1.
public struct Quantizer: Sendable, Hashable, CustomStringConvertible {
    /// b: bits of the integers.
    public let bits: Int
    /// Whether the integers are signed (two's complement range).
    public let isSigned: Bool
    /// The real step between two integers.
    public let scale: Double
    /// The integer that stands for 0.
    public let zeroPoint: Int

    /// The smallest and largest integers.
    public var minimum: Int { isSigned ? -(1 << (bits - 1)) : 0 }
    public var maximum: Int { isSigned ? (1 << (bits - 1)) - 1 : (1 << bits) - 1 }

    /// A quantizer from its fields.
    /// - Throws: `MLError.invalidParameter` for bits outside 1…24 or a scale that is not positive
    ///   and finite.
    public init(bits: Int, isSigned: Bool, scale: Double, zeroPoint: Int) throws {
        guard (1...24).contains(bits) else { throw MLError.invalidParameter("a quantizer needs 1…24 bits, got \(bits)") }
        guard scale > 0, scale.isFinite else { throw MLError.invalidParameter("a quantizer's scale must be positive, got \(scale)") }
        self.bits = bits
        self.isSigned = isSigned
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// The quantizer whose integers span `values` (min/max calibration, 0 included).
    /// - Parameter symmetric: zero point 0 and a range symmetric around it (signed only).
    /// - Throws: `MLError.invalidParameter` for bad bits, `MLError.invalidData` for no values or
    ///   a value that is not finite.
    public init(calibratingOn values: [Double], bits: Int, isSigned: Bool = false, symmetric: Bool = false) throws {
        guard let low = values.min(), let high = values.max() else {
            throw MLError.invalidData("a quantizer cannot be calibrated on no values")
        }
        guard low.isFinite, high.isFinite else { throw MLError.invalidData("a value to calibrate on is not finite") }
        guard (1...24).contains(bits) else { throw MLError.invalidParameter("a quantizer needs 1…24 bits, got \(bits)") }
        let (lower, upper) = (min(low, 0), max(high, 0))
        if symmetric {
            guard isSigned, bits >= 2 else { throw MLError.invalidParameter("a symmetric quantizer is signed, with 2 bits or more") }
            let bound = max(-lower, upper)
            try self.init(bits: bits, isSigned: true, scale: bound > 0 ? bound / Double((1 << (bits - 1)) - 1) : 1, zeroPoint: 0)
            return
        }
        let steps = Double((1 << bits) - 1)
        let scale = upper > lower ? (upper - lower) / steps : 1
        let offset = isSigned ? -(1 << (bits - 1)) : 0
        try self.init(bits: bits, isSigned: isSigned, scale: scale, zeroPoint: offset + Int((-lower / scale).rounded()))
    }

    /// round(x / scale) + zero point, clipped to the integers of `bits` bits (halves away from 0).
    public func quantize(_ value: Double) -> Int {
        let raw = (value / scale).rounded() + Double(zeroPoint)
        return Int(min(max(raw, Double(minimum)), Double(maximum)))
    }

    /// (q − zero point)·scale.
    public func dequantize(_ value: Int) -> Double { Double(value - zeroPoint) * scale }

    public var description: String {
        "\(isSigned ? "int" : "uint")\(bits) scale \(String(format: "%.6g", scale)) zero point \(zeroPoint)"
    }
}
