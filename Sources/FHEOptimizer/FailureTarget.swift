import FHEParameters
import Foundation

/// The failure probability a circuit must meet.
public enum FailureTarget: Sendable, Hashable, CustomStringConvertible {
    /// At most this probability per table lookup.
    case perLookup(Double)
    /// At most this probability that any of `lookupCount` lookups fails (Concrete's default: 1e-5).
    case global(Double, lookupCount: Int)

    /// The default: 1e-5 for the whole circuit, like Concrete.
    public static func defaultTarget(lookupCount: Int = 1) -> FailureTarget { .global(1e-5, lookupCount: lookupCount) }

    /// The per-lookup probability that meets the target: p with 1 − (1 − p)^m = target.
    public var perLookupProbability: Double {
        switch self {
        case let .perLookup(p): p
        case let .global(p, count): -expm1(log1p(-p) / Double(max(count, 1)))
        }
    }

    public var description: String {
        switch self {
        case let .perLookup(p): "\(p) per lookup"
        case let .global(p, count): "\(p) over \(count) lookup\(count == 1 ? "" : "s")"
        }
    }
}
