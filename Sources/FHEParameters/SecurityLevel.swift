import Foundation

/// A security level for which the minimal key noise of an LWE dimension is known.
///
/// The curve: for q = 2^64 and binary keys, dimension d is secure at this level when the noise
/// standard deviation (a fraction of q) is at least 2^max(a·d + b, −62). The coefficients are
/// Concrete's current fit to the lattice estimator (Albrecht, Player, Scott, "On the concrete
/// hardness of Learning with Errors", J. Math. Cryptol. 2015, and its `lattice-estimator`
/// software), as used by concrete-optimizer for its 128- and 132-bit curves.
public enum SecurityLevel: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// 128-bit security, the default.
    case bits128 = 128
    /// 132-bit security.
    case bits132 = 132

    /// The curve's slope a in log2(σ) = a·d + b.
    public var slope: Double {
        switch self {
        case .bits128: -0.025696778711484593
        case .bits132: -0.024891456582633045
        }
    }

    /// The curve's intercept b in log2(σ) = a·d + b.
    public var intercept: Double {
        switch self {
        case .bits128: 2.675931372549016
        case .bits132: 2.65734593837534
        }
    }

    /// The smallest noise exponent the curve uses: no key noise below 2^−62 is ever needed.
    public static let noiseFloorLog2: Double = -62

    /// log2 of the minimal noise standard deviation (fraction of q) for LWE dimension `dimension`.
    public func minimumNoiseLog2Std(dimension: Int) -> Double {
        max(slope * Double(dimension) + intercept, Self.noiseFloorLog2)
    }

    /// The minimal noise standard deviation (fraction of q) for LWE dimension `dimension`.
    public func minimumNoiseStd(dimension: Int) -> Double {
        exp2(minimumNoiseLog2Std(dimension: dimension))
    }

    /// Whether noise `std` (fraction of q) makes dimension `dimension` secure at this level.
    public func isSecure(dimension: Int, noiseStd: Double) -> Bool {
        // A relative tolerance of 1e-9 accepts a σ printed with a few digits less than computed.
        log2(noiseStd) >= minimumNoiseLog2Std(dimension: dimension) - 1e-9
    }

    public var description: String { "\(rawValue)-bit" }
}
