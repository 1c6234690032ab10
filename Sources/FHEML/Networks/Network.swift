import FHEProgram

/// A network as the importer leaves it: real weights, shapes without the batch dimension,
/// nodes in order (each after its inputs), constants folded into the operations.
struct Network: Sendable {
    /// The input's name and its shape without the batch dimension.
    let inputName: String
    let inputShape: [Int]
    let nodes: [NetworkNode]
    /// The tensor the circuit computes.
    let output: String
    /// What the client applies to the decrypted output (Softmax, LogSoftmax or ReduceMax over the
    /// last axis when they end the graph).
    let postProcessing: OutputDecoding.PostProcessing

    /// The output of every node for one sample, by tensor name (the input included).
    func evaluate(_ input: RealTensor) throws -> [String: RealTensor] {
        var values = [inputName: input]
        for node in nodes {
            values[node.output] = try node.operation.evaluate(node.inputs.map { values[$0]! }, node: node.name)
        }
        return values
    }

    /// The output of one sample, before the client's post-processing.
    func output(_ input: RealTensor) throws -> RealTensor { try evaluate(input)[output]! }
}

/// One operation of a network, with the names of the tensors it reads and writes.
struct NetworkNode: Sendable {
    /// The ONNX node's name (or its type and position when it has none), for messages.
    let name: String
    let operation: NetworkOperation
    let inputs: [String]
    let output: String
}

/// What a node computes, on shapes without the batch dimension.
enum NetworkOperation: Sendable {
    /// x·W + b of a vector x (W: [inputs, outputs]) or of each row of a matrix. `grid`: the step
    /// of weights that a quantization-aware export quantized (DequantizeLinear), kept exactly.
    case dense(weights: RealTensor, bias: [Double], grid: Double?)
    /// A 2-D convolution of [channels, height, width] by weights [outputs, channels / groups, kh, kw].
    case conv(weights: RealTensor, bias: [Double], window: LinearOperation.Window, groups: Int, grid: Double?)
    /// x + c and x·c with a constant that broadcasts to x.
    case add(RealTensor)
    case multiply(RealTensor)
    case activation(Activation)
    case averagePool(LinearOperation.Window, countIncludePad: Bool)
    case maxPool(LinearOperation.Window)
    /// The same elements in another shape (Reshape, Flatten, Squeeze, Unsqueeze, Identity).
    case reshape([Int])
    case transpose([Int])
    /// Zero padding: the pads before each axis, then after each.
    case pad([Int])
    case concat(axis: Int)
    /// ReduceSum or ReduceMean over axes (sorted, non-negative).
    case reduce(axes: [Int], keepDims: Bool, mean: Bool)
    case expand([Int])

    /// The result on real inputs.
    /// - Throws: `MLError.invalidData` for inputs of the wrong shape.
    func evaluate(_ inputs: [RealTensor], node: String) throws -> RealTensor {
        let x = inputs[0]
        func fail(_ message: String) -> MLError { .invalidData("node \(node): \(message)") }
        switch self {
        case let .dense(weights, bias, _):
            let (inner, outputs) = (weights.shape[0], weights.shape[1])
            guard x.shape.last == inner, x.shape.count <= 2 else { throw fail("a dense layer of \(inner) inputs reads shape \(x.shape)") }
            let rows = x.count / inner
            var values = [Double](repeating: 0, count: rows * outputs)
            for r in 0..<rows {
                for k in 0..<outputs {
                    var total = bias.isEmpty ? 0 : bias[k]
                    for j in 0..<inner { total += x.values[r * inner + j] * weights.values[j * outputs + k] }
                    values[r * outputs + k] = total
                }
            }
            return RealTensor(shape: Array(x.shape.dropLast()) + [outputs], values: values)
        case let .conv(weights, bias, window, groups, _):
            guard x.shape.count == 3, weights.shape.count == 4, groups >= 1, x.shape[0] % groups == 0, weights.shape[0] % groups == 0,
                  weights.shape[1] * groups == x.shape[0], window.problem(size: Array(x.shape[1...])) == nil
            else { throw fail("a convolution of weights \(weights.shape) does not fit an input of shape \(x.shape)") }
            let outputShape = [weights.shape[0]] + window.outputSize(Array(x.shape[1...]))
            return Self.convolve(x, weights: weights, bias: bias, window: window, outputShape: outputShape, groups: groups)
        case let .add(constant), let .multiply(constant):
            guard let shape = ShapeInference.broadcast(x.shape, constant.shape), shape == x.shape,
                  let c = constant.broadcast(to: shape) else { throw fail("a constant of shape \(constant.shape) does not broadcast to \(x.shape)") }
            if case .add = self { return RealTensor(shape: shape, values: zip(x.values, c.values).map(+)) }
            return RealTensor(shape: shape, values: zip(x.values, c.values).map(*))
        case let .activation(function):
            return RealTensor(shape: x.shape, values: x.values.map { function($0) })
        case let .averagePool(window, countIncludePad):
            guard case let .success(sum) = LinearOperation.sumPool2d(inputShape: x.shape, window: window) else {
                throw fail("a pooling window \(window.kernel) does not fit shape \(x.shape)")
            }
            let counts = countIncludePad ? [Int](repeating: window.kernel.reduce(1, *), count: sum.map.outputCount)
                : LinearOperation.windowCounts(inputShape: x.shape, window: window)
            let sums = x.gathered(sum)
            return RealTensor(shape: sums.shape, values: zip(sums.values, counts).map { $0 / Double($1) })
        case let .maxPool(window):
            guard case let .success(selections) = LinearOperation.windowSelections(inputShape: x.shape, window: window) else {
                throw fail("a pooling window \(window.kernel) does not fit shape \(x.shape)")
            }
            let positions = selections.map { x.gathered($0) }
            return RealTensor(shape: positions[0].shape, values: positions[0].values.indices.map { j in positions.map { $0.values[j] }.max()! })
        case let .reshape(shape):
            guard Tensor.elementCount(of: shape) == x.count else { throw fail("cannot reshape \(x.shape) to \(shape)") }
            return RealTensor(shape: shape, values: x.values)
        case let .transpose(permutation):
            guard case let .success(operation) = LinearOperation.permute(inputShape: x.shape, permutation: permutation) else {
                throw fail("the permutation \(permutation) does not fit shape \(x.shape)")
            }
            return x.gathered(operation)
        case let .pad(pads):
            guard case let .success(operation) = LinearOperation.pad(inputShape: x.shape, pads: pads) else {
                throw fail("pads \(pads) do not fit shape \(x.shape)")
            }
            return x.gathered(operation)
        case let .concat(axis):
            return try Self.concatenate(inputs, axis: axis, fail: fail)
        case let .reduce(axes, keepDims, mean):
            return try Self.reduce(x, axes: axes, keepDims: keepDims, mean: mean, fail: fail)
        case let .expand(shape):
            guard let expanded = x.broadcast(to: shape) else { throw fail("shape \(x.shape) does not expand to \(shape)") }
            return expanded
        }
    }

    private static func convolve(_ x: RealTensor, weights: RealTensor, bias: [Double], window: LinearOperation.Window,
                                 outputShape: [Int], groups: Int) -> RealTensor {
        let (outputs, perGroup, kh, kw) = (weights.shape[0], weights.shape[1], weights.shape[2], weights.shape[3])
        let outputSize = Array(outputShape.dropFirst()), size = Array(x.shape.dropFirst())
        var values = [Double](repeating: 0, count: Tensor.elementCount(of: outputShape))
        for m in 0..<outputs {
            let firstChannel = (m / (outputs / groups)) * perGroup
            for y in 0..<outputSize[0] {
                for column in 0..<outputSize[1] {
                    var total = bias.isEmpty ? 0 : bias[m]
                    for c in 0..<perGroup {
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                guard let (iy, ix) = window.source(y, column, ky, kx, size: size) else { continue }
                                total += weights.values[((m * perGroup + c) * kh + ky) * kw + kx]
                                    * x.values[((firstChannel + c) * size[0] + iy) * size[1] + ix]
                            }
                        }
                    }
                    values[(m * outputSize[0] + y) * outputSize[1] + column] = total
                }
            }
        }
        return RealTensor(shape: outputShape, values: values)
    }

    /// Joins tensors along `axis` (the others must agree).
    private static func concatenate(_ parts: [RealTensor], axis: Int, fail: (String) -> MLError) throws -> RealTensor {
        let rank = parts[0].shape.count
        guard (0..<rank).contains(axis), parts.allSatisfy({ part in
            part.shape.count == rank && (0..<rank).allSatisfy { $0 == axis || part.shape[$0] == parts[0].shape[$0] }
        }) else { throw fail("tensors of shapes \(parts.map(\.shape)) do not concatenate along axis \(axis)") }
        let outer = Tensor.elementCount(of: Array(parts[0].shape[..<axis]))
        var values = [Double]()
        for o in 0..<outer {
            for part in parts {
                let block = part.count / max(outer, 1)
                values += part.values[(o * block)..<((o + 1) * block)]
            }
        }
        var shape = parts[0].shape
        shape[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
        return RealTensor(shape: shape, values: values)
    }

    /// The sum (or mean) over `axes`.
    private static func reduce(_ x: RealTensor, axes: [Int], keepDims: Bool, mean: Bool, fail: (String) -> MLError) throws -> RealTensor {
        guard axes.allSatisfy({ (0..<x.shape.count).contains($0) }) else { throw fail("axes \(axes) are out of range for shape \(x.shape)") }
        let kept = x.shape.indices.map { axes.contains($0) ? 1 : x.shape[$0] }
        var values = [Double](repeating: 0, count: Tensor.elementCount(of: kept))
        for j in 0..<x.count {
            var rest = j, target = 0, step = 1
            for axis in stride(from: x.shape.count - 1, through: 0, by: -1) {
                let position = rest % x.shape[axis]
                rest /= x.shape[axis]
                target += (axes.contains(axis) ? 0 : position) * step
                step *= kept[axis]
            }
            values[target] += x.values[j]
        }
        let divisor = mean ? Double(axes.map { x.shape[$0] }.reduce(1, *)) : 1
        let shape = keepDims ? kept : x.shape.indices.filter { !axes.contains($0) }.map { x.shape[$0] }
        return RealTensor(shape: shape, values: values.map { $0 / divisor })
    }
}
