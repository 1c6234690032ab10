/// An integer value with a shape: the arguments and results of circuits.
///
/// Elements are stored row-major; a scalar has shape `[]` and one element. Literals build
/// tensors directly: `7`, `[1, 2, 3]`, `[[1, 2], [3, 4]]` (rows must have equal shapes).
public struct Tensor: Sendable, Hashable, CustomStringConvertible {
    /// The extent of each dimension; `[]` for a scalar.
    public let shape: [Int]
    /// The elements, row-major.
    public let elements: [Int64]

    /// A scalar.
    public init(_ scalar: Int) {
        shape = []
        elements = [Int64(scalar)]
    }

    /// A tensor of `shape` holding `elements` row-major.
    /// - Precondition: `elements.count` is the product of `shape` (a programmer error otherwise).
    public init(_ elements: [Int], shape: [Int]) {
        self.init(int64: elements.map(Int64.init), shape: shape)
    }

    /// A tensor of `shape` holding `elements` row-major.
    public init(int64 elements: [Int64], shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "a tensor shape cannot have negative extents: \(shape)")
        precondition(elements.count == Tensor.elementCount(of: shape),
                     "a tensor of shape \(shape) holds \(Tensor.elementCount(of: shape)) elements, not \(elements.count)")
        self.shape = shape
        self.elements = elements
    }

    /// The number of elements of a shape: the product of its extents (1 for a scalar).
    public static func elementCount(of shape: [Int]) -> Int { shape.reduce(1, *) }

    /// The number of elements of a shape read from elsewhere: nil when an extent is negative or
    /// the product overflows.
    public static func checkedElementCount(of shape: [Int]) -> Int? {
        var count = 1
        for extent in shape {
            guard extent >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// Whether this is a scalar (shape `[]`).
    public var isScalar: Bool { shape.isEmpty }

    /// The value of a scalar.
    /// - Precondition: the tensor is a scalar.
    public var scalar: Int64 {
        precondition(isScalar, "a tensor of shape \(shape) is not a scalar")
        return elements[0]
    }

    public var description: String {
        if isScalar { return String(elements[0]) }
        func render(_ dimension: Int, _ offset: Int) -> String {
            let stride = Tensor.elementCount(of: Array(shape[(dimension + 1)...]))
            let parts = (0..<shape[dimension]).map { index -> String in
                dimension == shape.count - 1 ? String(elements[offset + index])
                    : render(dimension + 1, offset + index * stride)
            }
            return "[" + parts.joined(separator: ", ") + "]"
        }
        return render(0, 0)
    }
}

extension Tensor: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension Tensor: ExpressibleByArrayLiteral {
    /// Stacks equal-shaped tensors along a new first dimension: `[1, 2]`, `[[1, 2], [3, 4]]`.
    public init(arrayLiteral rows: Tensor...) {
        let rowShape = rows.first?.shape ?? []
        precondition(rows.allSatisfy { $0.shape == rowShape }, "the rows of a tensor literal must have equal shapes")
        self.init(int64: rows.flatMap(\.elements), shape: [rows.count] + rowShape)
    }
}

extension Tensor {
    /// The same elements with another shape of the same element count.
    package func reshaped(_ shape: [Int]) -> Tensor { Tensor(int64: elements, shape: shape) }
}
