/// Why an operation has no valid shape.
package struct ShapeError: Error {
    package let message: String
    package init(_ message: String) { self.message = message }
}

/// The shapes operations produce, shared by tracing, validation and evaluation.
package enum ShapeInference {
    /// numpy broadcasting: dimensions are matched from the right; each pair must be equal or
    /// one of them 1, and the result takes the other (so 1 against 0 gives 0: [0] with [1] is [0],
    /// [] with [0] is [0]).
    package static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for offset in 1...max(rank, 1) where offset <= rank {
            let x = offset <= a.count ? a[a.count - offset] : 1
            let y = offset <= b.count ? b[b.count - offset] : 1
            guard x == y || x == 1 || y == 1 else { return nil }
            result[rank - offset] = x == 1 ? y : x
        }
        return result
    }

    /// The shape of `operation` on operands of `shapes`, or why it is invalid.
    package static func shape(of operation: ClearOperation, operands shapes: [[Int]]) -> Result<[Int], ShapeError> {
        switch operation {
        case .constant, .floatConstant:
            return .failure(ShapeError("no shape inference for leaves"))
        case .binary:
            guard let shape = broadcast(shapes[0], shapes[1]) else {
                return .failure(ShapeError("shapes \(shapes[0]) and \(shapes[1]) do not broadcast"))
            }
            return .success(shape)
        case .unary, .lookupTable, .roundBitPattern:
            return .success(shapes[0])
        case let .sum(axis):
            guard let axis else { return .success([]) }
            let rank = shapes[0].count
            guard (-rank..<rank).contains(axis) else { return .failure(ShapeError("axis \(axis) is out of range for shape \(shapes[0])")) }
            var shape = shapes[0]
            shape.remove(at: axis < 0 ? axis + rank : axis)
            return .success(shape)
        case let .dot(weights):
            guard shapes[0].count == 1, weights.shape == shapes[0] else {
                return .failure(ShapeError("dot needs a vector and weights of the same length, got \(shapes[0]) and \(weights.shape)"))
            }
            return .success([])
        case let .matmul(matrix):
            let x = shapes[0], w = matrix.shape
            guard (1...2).contains(x.count), (1...2).contains(w.count), x.last == w.first else {
                return .failure(ShapeError("matmul of shapes \(x) and \(w): the inner dimensions must agree (vectors or matrices)"))
            }
            return .success(Array(x.dropLast()) + Array(w.dropFirst()))
        case let .reshape(shape):
            guard Tensor.checkedElementCount(of: shape) == Tensor.elementCount(of: shapes[0]) else {
                return .failure(ShapeError("cannot reshape \(shapes[0]) (\(Tensor.elementCount(of: shapes[0])) elements) to \(shape)"))
            }
            return .success(shape)
        case .transpose:
            return .success(shapes[0].reversed())
        case let .index(i):
            guard let first = shapes[0].first, (-first..<first).contains(i) else {
                return .failure(ShapeError("index \(i) is out of range for shape \(shapes[0])"))
            }
            return .success(Array(shapes[0].dropFirst()))
        case let .linear(operation):
            if let problem = operation.problem { return .failure(ShapeError(problem)) }
            guard shapes[0] == operation.inputShape else {
                return .failure(ShapeError("\(operation.name) reads shape \(operation.inputShape), got \(shapes[0])"))
            }
            return .success(operation.outputShape)
        case .concatenate:
            guard let rest = shapes.first.map({ Array($0.dropFirst()) }), shapes.allSatisfy({ !$0.isEmpty && Array($0.dropFirst()) == rest })
            else { return .failure(ShapeError("concatenate needs tensors that agree beyond their first dimension, got \(shapes)")) }
            return .success([shapes.map { $0[0] }.reduce(0, +)] + rest)
        }
    }
}
