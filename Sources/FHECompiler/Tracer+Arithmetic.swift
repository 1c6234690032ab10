import FHEProgram

/// Integer arithmetic, comparisons and bitwise operations on tracers.
extension Tracer {
    public static func + (a: Tracer, b: Tracer) -> Tracer { a.binary(.add, b) }
    public static func + (a: Tracer, b: Int) -> Tracer { a.binary(.add, a.constant(b)) }
    public static func + (a: Int, b: Tracer) -> Tracer { b.constant(a).binary(.add, b) }
    public static func - (a: Tracer, b: Tracer) -> Tracer { a.binary(.subtract, b) }
    public static func - (a: Tracer, b: Int) -> Tracer { a.binary(.subtract, a.constant(b)) }
    public static func - (a: Int, b: Tracer) -> Tracer { b.constant(a).binary(.subtract, b) }
    public static func * (a: Tracer, b: Tracer) -> Tracer { a.binary(.multiply, b) }
    public static func * (a: Tracer, b: Int) -> Tracer { a.binary(.multiply, a.constant(b)) }
    public static func * (a: Int, b: Tracer) -> Tracer { b.constant(a).binary(.multiply, b) }
    public static prefix func - (a: Tracer) -> Tracer { a.make(.unary(.negate)) }

    /// Floor division by a constant (rounds toward −∞, like Python's `//`).
    public static func / (a: Tracer, b: Int) -> Tracer {
        if b == 0 { a.builder.fail("division by zero", nil) }
        return a.binary(.floorDivide, a.constant(b))
    }

    /// The remainder of floor division by a constant (the sign of the divisor, like Python's `%`).
    public static func % (a: Tracer, b: Int) -> Tracer {
        if b == 0 { a.builder.fail("remainder by zero", nil) }
        return a.binary(.remainder, a.constant(b))
    }

    public static func < (a: Tracer, b: Tracer) -> Tracer { a.binary(.less, b) }
    public static func < (a: Tracer, b: Int) -> Tracer { a.binary(.less, a.constant(b)) }
    public static func <= (a: Tracer, b: Tracer) -> Tracer { a.binary(.lessEqual, b) }
    public static func <= (a: Tracer, b: Int) -> Tracer { a.binary(.lessEqual, a.constant(b)) }
    public static func > (a: Tracer, b: Tracer) -> Tracer { a.binary(.greater, b) }
    public static func > (a: Tracer, b: Int) -> Tracer { a.binary(.greater, a.constant(b)) }
    public static func >= (a: Tracer, b: Tracer) -> Tracer { a.binary(.greaterEqual, b) }
    public static func >= (a: Tracer, b: Int) -> Tracer { a.binary(.greaterEqual, a.constant(b)) }
    public static func == (a: Tracer, b: Tracer) -> Tracer { a.binary(.equal, b) }
    public static func == (a: Tracer, b: Int) -> Tracer { a.binary(.equal, a.constant(b)) }
    public static func != (a: Tracer, b: Tracer) -> Tracer { a.binary(.notEqual, b) }
    public static func != (a: Tracer, b: Int) -> Tracer { a.binary(.notEqual, a.constant(b)) }

    public static func & (a: Tracer, b: Tracer) -> Tracer { a.binary(.bitwiseAnd, b) }
    public static func & (a: Tracer, b: Int) -> Tracer { a.binary(.bitwiseAnd, a.constant(b)) }
    public static func | (a: Tracer, b: Tracer) -> Tracer { a.binary(.bitwiseOr, b) }
    public static func | (a: Tracer, b: Int) -> Tracer { a.binary(.bitwiseOr, a.constant(b)) }
    public static func ^ (a: Tracer, b: Tracer) -> Tracer { a.binary(.bitwiseXor, b) }
    public static func ^ (a: Tracer, b: Int) -> Tracer { a.binary(.bitwiseXor, a.constant(b)) }
    public static func << (a: Tracer, b: Tracer) -> Tracer { a.binary(.leftShift, b) }
    public static func << (a: Tracer, b: Int) -> Tracer { a.binary(.leftShift, a.constant(b)) }
    public static func >> (a: Tracer, b: Tracer) -> Tracer { a.binary(.rightShift, b) }
    public static func >> (a: Tracer, b: Int) -> Tracer { a.binary(.rightShift, a.constant(b)) }

    /// Any univariate integer function, applied elementwise (one table lookup).
    public func apply(_ name: String = "apply", fileID: String = #fileID, line: Int = #line,
                      _ function: @escaping @Sendable (Int) -> Int) -> Tracer {
        make(.apply(UnivariateFunction(name: name, body: function)), location: SourceLocation(fileID: fileID, line: line))
    }
}

/// |x|, elementwise.
public func abs(_ x: Tracer) -> Tracer { x.make(.unary(.absolute)) }
/// max(x, 0), elementwise.
public func relu(_ x: Tracer) -> Tracer { x.make(.unary(.relu)) }
/// The elementwise minimum.
public func minimum(_ x: Tracer, _ y: Tracer) -> Tracer { x.binary(.minimum, y) }
/// The elementwise maximum.
public func maximum(_ x: Tracer, _ y: Tracer) -> Tracer { x.binary(.maximum, y) }

/// How `roundBitPattern` rounds in FHE (Concrete's `fhe.Exactness`).
public enum RoundingExactness: Sendable, Hashable {
    /// To the nearest multiple (ties up), in PBS steps that clear the low bits (`RoundingStep`).
    case exact
    /// No PBS: the lookup that reads the result reads the top bits directly and gets the value
    /// rounded down or up (the nearest, except within noise of a tie). Where something other
    /// than a lookup reads the result, the rounding is exact. Simulation rounds exactly.
    case approximate
}

/// Rounds x to a multiple of 2^lsbsToRemove (ties up); a table lookup of the result reads
/// lsbsToRemove fewer bits, which is how a wide accumulator is narrowed to fit a lookup
/// (Concrete's `round_bit_pattern`). `exactness` says whether FHE rounds exactly, with PBS, or
/// approximately, for free (`RoundingExactness`).
public func roundBitPattern(_ x: Tracer, lsbsToRemove: Int, exactness: RoundingExactness = .exact,
                            fileID: String = #fileID, line: Int = #line) -> Tracer {
    if !(0...62).contains(lsbsToRemove) {
        x.builder.fail("roundBitPattern: lsbsToRemove must be in 0…62, got \(lsbsToRemove)", SourceLocation(fileID: fileID, line: line))
    }
    return x.make(.roundBitPattern(lsbsToRemove: lsbsToRemove, exactness: exactness), location: SourceLocation(fileID: fileID, line: line))
}

/// One table per element of an encrypted tensor, Concrete's multi-table lookup:
/// `LookupTables([t₀, t₁, …])[x]` is tᵢ[xᵢ] for every element i in row-major order (negative
/// inputs index from the end). One PBS per element, each with its own test polynomial.
public struct LookupTables: Sendable, Hashable {
    /// The tables, one per element.
    public let tables: [[Int]]

    public init(_ tables: [[Int]]) { self.tables = tables }

    /// The lookup of every element of x in its own table.
    public subscript(x: Tracer) -> Tracer {
        if tables.isEmpty || tables.contains(where: \.isEmpty) { x.builder.fail("every lookup table needs at least one entry", nil) }
        if tables.count != Tensor.elementCount(of: x.shape) {
            x.builder.fail("\(tables.count) tables for a tensor of shape \(x.shape): give one per element", nil)
        }
        if !x.node.isEncrypted { x.builder.fail("LookupTables reads an encrypted value: compute clear values in Swift", nil) }
        return x.make(.lookupTables(tables.map { $0.map(Int64.init) }))
    }
}

/// A table of integers indexed by a traced value: `LookupTable([…])[x]`.
public struct LookupTable: Sendable, Hashable {
    /// The entries; entry i is the result for input i (negative inputs index from the end).
    public let entries: [Int]

    public init(_ entries: [Int]) { self.entries = entries }

    /// The lookup of every element of x.
    public subscript(x: Tracer) -> Tracer {
        if entries.isEmpty { x.builder.fail("a lookup table needs at least one entry", nil) }
        return x.make(.lookupTable(entries.map(Int64.init)))
    }
}
