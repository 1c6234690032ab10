/// Noise analysis: for every encrypted node, the squared 2-norm of the clear weights applied
/// since the last table lookup or input (levelled operations scale the noise variance by it).
extension Graph {
    func squaredNorms(bounds: [ClosedRange<Int64>?]) -> [Double] {
        var norms = [Double](repeating: 0, count: nodes.count)
        func largestSquare(_ tensor: Tensor) -> Double { tensor.elements.map { Double($0) * Double($0) }.max() ?? 0 }
        for (index, node) in nodes.enumerated() where node.isEncrypted {
            let inputs = node.inputs.map(\.index)
            let encrypted = inputs.filter { nodes[$0].isEncrypted }
            let incoming = encrypted.map { norms[$0] }.max() ?? 1
            switch node.operation {
            case .input: norms[index] = 1
            case .binary(.add), .binary(.subtract): norms[index] = encrypted.map { norms[$0] }.reduce(0, +)
            case .binary(.multiply) where encrypted.count == 1:
                // times a clear value: its largest magnitude, from the constant or the bounds
                let clear = inputs.first { !nodes[$0].isEncrypted }!
                let factor: Double
                if case let .constant(tensor) = nodes[clear].operation { factor = largestSquare(tensor) } else {
                    let range = bounds[clear] ?? 0...0
                    factor = max(Double(range.lowerBound) * Double(range.lowerBound), Double(range.upperBound) * Double(range.upperBound))
                }
                norms[index] = factor * incoming
            case .unary(.negate), .reshape, .transpose, .index, .concatenate: norms[index] = incoming
            case let .sum(axis):
                let shape = nodes[inputs[0]].shape
                let count = axis.map { shape[$0 < 0 ? $0 + shape.count : $0] } ?? Tensor.elementCount(of: shape)
                norms[index] = Double(count) * incoming
            case let .dot(weights): norms[index] = weights.elements.map { Double($0) * Double($0) }.reduce(0, +) * incoming
            case let .matmul(matrix):
                let columns = matrix.shape.count == 2 ? matrix.shape[1] : 1
                let columnNorms = (0..<columns).map { c in
                    stride(from: c, to: matrix.elements.count, by: columns).map { Double(matrix.elements[$0]) * Double(matrix.elements[$0]) }.reduce(0, +)
                }
                norms[index] = (columnNorms.max() ?? 0) * incoming
            default: norms[index] = 1   // a table lookup: fresh noise
            }
        }
        return norms
    }
}
