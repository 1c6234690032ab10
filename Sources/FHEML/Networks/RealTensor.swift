import FHEProgram

/// A real-valued tensor of a network (weights, constants, one sample's activations), row-major.
struct RealTensor: Sendable, Hashable {
    var shape: [Int]
    var values: [Double]

    init(shape: [Int], values: [Double]) {
        precondition(Tensor.elementCount(of: shape) == values.count, "a tensor of shape \(shape) holds \(Tensor.elementCount(of: shape)) values")
        self.shape = shape
        self.values = values
    }

    init(scalar: Double) { self.init(shape: [], values: [scalar]) }

    var count: Int { values.count }

    /// The tensor broadcast to `target` (numpy's rules), or nil when it does not broadcast.
    func broadcast(to target: [Int]) -> RealTensor? {
        guard shape != target else { return self }
        guard ShapeInference.broadcast(shape, target) == target else { return nil }
        let offset = target.count - shape.count
        var strides = [Int](repeating: 0, count: target.count), step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis + offset] = shape[axis] == 1 ? 0 : step
            step *= shape[axis]
        }
        let values = (0..<Tensor.elementCount(of: target)).map { j -> Double in
            var rest = j, source = 0
            for axis in stride(from: target.count - 1, through: 0, by: -1) {
                source += (rest % target[axis]) * strides[axis]
                rest /= target[axis]
            }
            return self.values[source]
        }
        return RealTensor(shape: target, values: values)
    }

    /// The values gathered by a linear operation of weights 0 or 1 (a permutation, padding, window).
    func gathered(_ operation: LinearOperation) -> RealTensor {
        RealTensor(shape: operation.outputShape, values: (0..<operation.map.outputCount).map { j in
            operation.map.terms(of: j).reduce(0) { $0 + Double($1.1) * values[Int($1.0)] }
        })
    }
}
