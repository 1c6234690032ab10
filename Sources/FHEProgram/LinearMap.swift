/// A levelled tensor operation of one encrypted input as a sparse matrix: output element j is
/// Σ weightᵢ·input[inputᵢ] over its terms (compressed rows). Built by index arithmetic from the
/// operation itself, so its cost is linear in the number of terms:
///
/// | operation | terms of output j |
/// |---|---|
/// | reshape | input j, weight 1 |
/// | transpose | the input element whose reversed index is j's, weight 1 |
/// | index(i) | input i·(row size) + j, weight 1 |
/// | sum (all, or along an axis of extent e) | every input (or the e inputs along the axis), weight 1 |
/// | dot(w) | input i, weight wᵢ, for wᵢ ≠ 0 |
/// | matmul(W) of x (r × k) | x[r][i], weight W[i][c], for W[i][c] ≠ 0 (j = r·columns + c) |
/// | linear(operation) | the operation's own terms |
public struct LinearMap: Sendable, Hashable {
    /// Terms of output j: `inputs[rowStarts[j]..<rowStarts[j + 1]]` with the same `weights`.
    public let rowStarts: [Int]
    /// The input element of each term.
    public let inputs: [Int32]
    /// The clear weight of each term.
    public let weights: [Int64]

    /// Output elements.
    public var outputCount: Int { rowStarts.count - 1 }
    /// Terms of all outputs.
    public var termCount: Int { inputs.count }

    /// The map of explicit rows: `rowStarts` (0 first, `inputs.count` last), the input element
    /// and weight of each term.
    public init(rowStarts: [Int], inputs: [Int32], weights: [Int64]) {
        (self.rowStarts, self.inputs, self.weights) = (rowStarts, inputs, weights)
    }

    /// The terms of output `j`.
    public func terms(of j: Int) -> Zip2Sequence<ArraySlice<Int32>, ArraySlice<Int64>> {
        zip(inputs[rowStarts[j]..<rowStarts[j + 1]], weights[rowStarts[j]..<rowStarts[j + 1]])
    }

    /// The number of terms the map of `operation` from `inputShape` has, without building it (nil
    /// for an operation that is not a linear map), so that a budget can refuse it first.
    public static func termCount(of operation: ClearOperation, inputShape: [Int]) -> Int? {
        let count = Tensor.elementCount(of: inputShape)
        switch operation {
        case .reshape, .transpose, .sum: return count
        case let .linear(operation): return operation.map.termCount
        case .index: return inputShape.isEmpty || inputShape[0] == 0 ? 0 : count / inputShape[0]
        case let .dot(weights): return weights.elements.count { $0 != 0 }
        case let .matmul(matrix):
            let rows = inputShape.count == 2 ? inputShape[0] : 1
            return rows.multipliedReportingOverflow(by: matrix.elements.count { $0 != 0 }).partialValue
        default: return nil
        }
    }

    /// The map of `operation` (reshape, transpose, index, sum, dot or matmul) from an input of
    /// `inputShape` to an output of `outputShape`, both already checked by shape inference.
    /// - Returns: nil for any other operation.
    public init?(_ operation: ClearOperation, inputShape: [Int], outputShape: [Int]) {
        let inputCount = Tensor.elementCount(of: inputShape), outputCount = Tensor.elementCount(of: outputShape)
        var builder = Builder(outputCount: outputCount)
        switch operation {
        case let .linear(operation):
            self = operation.map
            return
        case .reshape:
            for j in 0..<outputCount { builder.add(j, 1); builder.endRow() }
        case .transpose:
            for source in transposedOrder(of: inputShape) { builder.add(source, 1); builder.endRow() }
        case let .index(i):
            let row = i < 0 ? i + inputShape[0] : i
            for j in 0..<outputCount { builder.add(row * outputCount + j, 1); builder.endRow() }
        case let .sum(axis):
            guard let axis else {
                for i in 0..<inputCount { builder.add(i, 1) }
                builder.endRow()
                break
            }
            let normalized = axis < 0 ? axis + inputShape.count : axis
            let extent = inputShape[normalized], inner = Tensor.elementCount(of: Array(inputShape[(normalized + 1)...]))
            for j in 0..<outputCount {
                let (outer, position) = j.quotientAndRemainder(dividingBy: max(inner, 1))
                for k in 0..<extent { builder.add((outer * extent + k) * inner + position, 1) }
                builder.endRow()
            }
        case let .dot(weights):
            for (i, weight) in weights.elements.enumerated() where weight != 0 { builder.add(i, weight) }
            builder.endRow()
        case let .matmul(matrix):
            let inner = inputShape.last!, columns = matrix.shape.count == 2 ? matrix.shape[1] : 1
            for j in 0..<outputCount {
                let (row, column) = j.quotientAndRemainder(dividingBy: columns)
                for k in 0..<inner where matrix.elements[k * columns + column] != 0 {
                    builder.add(row * inner + k, matrix.elements[k * columns + column])
                }
                builder.endRow()
            }
        default:
            return nil
        }
        (rowStarts, inputs, weights) = (builder.rowStarts, builder.inputs, builder.weights)
    }

    package struct Builder {
        package var rowStarts = [0], inputs = [Int32](), weights = [Int64]()
        package var map: LinearMap { LinearMap(rowStarts: rowStarts, inputs: inputs, weights: weights) }
        package init(outputCount: Int) { rowStarts.reserveCapacity(outputCount + 1) }
        package mutating func add(_ input: Int, _ weight: Int64) {
            inputs.append(Int32(input))
            weights.append(weight)
        }
        package mutating func endRow() { rowStarts.append(inputs.count) }
    }
}

/// For each element of the transpose of a tensor of `shape` (axes reversed), row-major, the
/// index of the element it comes from.
package func transposedOrder(of shape: [Int]) -> [Int] {
    let reversed = Array(shape.reversed()), count = Tensor.elementCount(of: shape)
    var sourceStrides = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: shape.count - 2, through: 0, by: -1) { sourceStrides[axis] = sourceStrides[axis + 1] * shape[axis + 1] }
    return (0..<count).map { target in
        var rest = target, offset = 0
        for axis in stride(from: reversed.count - 1, through: 0, by: -1) {
            offset += (rest % reversed[axis]) * sourceStrides[shape.count - 1 - axis]
            rest /= reversed[axis]
        }
        return offset
    }
}
