import FHEProgram
import Foundation

/// Floating-point intermediates: they must come back to integers (`.toInt()`) before the
/// result, and the compiler fuses each float subgraph into one table lookup.
extension Tracer {
    public static func + (a: Tracer, b: Double) -> Tracer { a.binary(.add, a.floatConstant(b)) }
    public static func + (a: Double, b: Tracer) -> Tracer { b.floatConstant(a).binary(.add, b) }
    public static func - (a: Tracer, b: Double) -> Tracer { a.binary(.subtract, a.floatConstant(b)) }
    public static func - (a: Double, b: Tracer) -> Tracer { b.floatConstant(a).binary(.subtract, b) }
    public static func * (a: Tracer, b: Double) -> Tracer { a.binary(.multiply, a.floatConstant(b)) }
    public static func * (a: Double, b: Tracer) -> Tracer { b.floatConstant(a).binary(.multiply, b) }
    /// True division by a float constant.
    public static func / (a: Tracer, b: Double) -> Tracer { a.binary(.divide, a.floatConstant(b)) }

    /// Rounds to the nearest integer, ties to even (like numpy's `round`); stays a float.
    public func rounded(fileID: String = #fileID, line: Int = #line) -> Tracer {
        make(.unary(.rounded), location: SourceLocation(fileID: fileID, line: line))
    }

    /// Rounds toward −∞; stays a float.
    public func floor(fileID: String = #fileID, line: Int = #line) -> Tracer {
        make(.unary(.floor), location: SourceLocation(fileID: fileID, line: line))
    }

    /// Back to integers, truncating toward zero (like numpy's `astype(int)`).
    public func toInt(fileID: String = #fileID, line: Int = #line) -> Tracer {
        make(.unary(.toInt), kind: .integer, location: SourceLocation(fileID: fileID, line: line))
    }
}

public func sin(_ x: Tracer) -> Tracer { x.make(.unary(.sin), kind: .float) }
public func cos(_ x: Tracer) -> Tracer { x.make(.unary(.cos), kind: .float) }
public func tan(_ x: Tracer) -> Tracer { x.make(.unary(.tan), kind: .float) }
public func exp(_ x: Tracer) -> Tracer { x.make(.unary(.exp), kind: .float) }
public func log(_ x: Tracer) -> Tracer { x.make(.unary(.log), kind: .float) }
public func sqrt(_ x: Tracer) -> Tracer { x.make(.unary(.sqrt), kind: .float) }
public func tanh(_ x: Tracer) -> Tracer { x.make(.unary(.tanh), kind: .float) }
/// 1 / (1 + e^−x).
public func sigmoid(_ x: Tracer) -> Tracer { x.make(.unary(.sigmoid), kind: .float) }
