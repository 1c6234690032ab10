import FHEProgram

/// Elementwise operations with a clear tensor constant, numpy-style broadcasting: `x + [1, 2, 3]`,
/// `x % [2, 3, 5]`, `x > [[1], [2]]`. Addition, subtraction and multiplication are levelled;
/// the others are one table lookup with one table per element.
extension Tracer {
    func constant(_ tensor: Tensor) -> Tracer { Tracer(builder: builder, id: builder.constant(tensor, location: nil)) }

    public static func + (a: Tracer, b: Tensor) -> Tracer { a.binary(.add, a.constant(b)) }
    public static func + (a: Tensor, b: Tracer) -> Tracer { b.constant(a).binary(.add, b) }
    public static func - (a: Tracer, b: Tensor) -> Tracer { a.binary(.subtract, a.constant(b)) }
    public static func - (a: Tensor, b: Tracer) -> Tracer { b.constant(a).binary(.subtract, b) }
    public static func * (a: Tracer, b: Tensor) -> Tracer { a.binary(.multiply, a.constant(b)) }
    public static func * (a: Tensor, b: Tracer) -> Tracer { b.constant(a).binary(.multiply, b) }

    /// Floor division by each element of a constant (none may be 0).
    public static func / (a: Tracer, b: Tensor) -> Tracer {
        if b.elements.contains(0) { a.builder.fail("division by a tensor holding 0", nil) }
        return a.binary(.floorDivide, a.constant(b))
    }

    /// The remainder of floor division by each element of a constant (none may be 0).
    public static func % (a: Tracer, b: Tensor) -> Tracer {
        if b.elements.contains(0) { a.builder.fail("remainder by a tensor holding 0", nil) }
        return a.binary(.remainder, a.constant(b))
    }

    public static func < (a: Tracer, b: Tensor) -> Tracer { a.binary(.less, a.constant(b)) }
    public static func <= (a: Tracer, b: Tensor) -> Tracer { a.binary(.lessEqual, a.constant(b)) }
    public static func > (a: Tracer, b: Tensor) -> Tracer { a.binary(.greater, a.constant(b)) }
    public static func >= (a: Tracer, b: Tensor) -> Tracer { a.binary(.greaterEqual, a.constant(b)) }
    public static func == (a: Tracer, b: Tensor) -> Tracer { a.binary(.equal, a.constant(b)) }
    public static func != (a: Tracer, b: Tensor) -> Tracer { a.binary(.notEqual, a.constant(b)) }
    public static func & (a: Tracer, b: Tensor) -> Tracer { a.binary(.bitwiseAnd, a.constant(b)) }
    public static func | (a: Tracer, b: Tensor) -> Tracer { a.binary(.bitwiseOr, a.constant(b)) }
    public static func ^ (a: Tracer, b: Tensor) -> Tracer { a.binary(.bitwiseXor, a.constant(b)) }
    public static func << (a: Tracer, b: Tensor) -> Tracer { a.binary(.leftShift, a.constant(b)) }
    public static func >> (a: Tracer, b: Tensor) -> Tracer { a.binary(.rightShift, a.constant(b)) }
}

/// The elementwise minimum with a constant.
public func minimum(_ x: Tracer, _ y: Tensor) -> Tracer { x.binary(.minimum, x.constant(y)) }
/// The elementwise maximum with a constant.
public func maximum(_ x: Tracer, _ y: Tensor) -> Tracer { x.binary(.maximum, x.constant(y)) }
