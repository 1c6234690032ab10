import FHEParameters

/// How the compiler makes a lookup of 9 or 10 bits (`Configuration.wideLookupPreference`):
/// one PBS with a large polynomial (N = 2^15, 2^16: fast, gigabytes of keys) or a wide lookup
/// (WoP-PBS, `ServerKey.wideLookup`: hundreds of megabytes). Lookups of 11–16 bits are always wide.
public enum WideLookupPreference: Sendable, Hashable, CustomStringConvertible {
    /// Both, the cheaper by the optimizer's cost model within the key-size budget (the default).
    case automatic
    /// One PBS.
    case onePBS
    /// A wide lookup.
    case wide

    /// The narrowest lookup input each choice makes wide, the ones `automatic` stands for first.
    var narrowestWideBits: [Int] {
        switch self {
        case .automatic: [Limits.maximumLookupBitWidth + 1, Limits.defaultLookupBitWidth + 1]
        case .onePBS: [Limits.maximumLookupBitWidth + 1]
        case .wide: [Limits.defaultLookupBitWidth + 1]
        }
    }

    public var description: String {
        switch self {
        case .automatic: "automatic"
        case .onePBS: "one PBS"
        case .wide: "wide lookup"
        }
    }
}
