/// How the compiler lowers an operation of two encrypted values: comparisons, `minimum` and
/// `maximum`, bitwise operations, shifts and products (`Configuration.multivariateStrategy`).
///
/// | strategy | lowering | lookups read |
/// |---|---|---|
/// | `oneLookup` | one lookup of the difference, the sum or the packing of both operands (two for x·y) | the operands' width + 1 (packed: both widths) |
/// | `chunked(bits: c)` | comparisons: the difference rounded down to c bits, then one lookup; the others: both operands split into c-bit chunks (`Decomposition`), one lookup per chunk or pair of chunks | c to 2c + 1 bits |
///
/// The first is cheapest for narrow operands; the second is what makes 9- to 16-bit operands
/// possible, and is often cheaper from 5 bits up because every PBS stays small.
public enum MultivariateStrategy: Sendable, Hashable, CustomStringConvertible {
    /// The compiler compiles the program with each strategy that applies and keeps the one whose
    /// PBS cost least, by the optimizer's cost model (the default).
    case automatic
    /// One lookup of both operands combined: refused when that is wider than a lookup.
    case oneLookup
    /// Operands split into chunks of `bits` bits (1…8).
    case chunked(bits: Int)

    /// The chunk widths `automatic` tries.
    static let automaticChunkBits = [2, 3, 4]

    /// The strategies `automatic` stands for, the others themselves.
    var candidates: [MultivariateStrategy] {
        switch self {
        case .automatic: [.oneLookup] + Self.automaticChunkBits.map { .chunked(bits: $0) }
        default: [self]
        }
    }

    public var description: String {
        switch self {
        case .automatic: "automatic"
        case .oneLookup: "one lookup"
        case let .chunked(bits): "chunked (\(bits)-bit chunks)"
        }
    }
}
