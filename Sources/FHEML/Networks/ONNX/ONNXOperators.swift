import FHEProgram
import Foundation

/// Each ONNX operator as a network operation, on shapes without the batch dimension (ONNX
/// axes count it: axis a of ONNX is axis a − 1 here, and the batch axis itself cannot be
/// reduced, permuted or concatenated).
extension ONNXImport {
    /// The operation of a node on one computed tensor `input` of `shape` (its other operands
    /// constants); nil for Identity.
    func operation(_ node: Onnx_NodeProto, inputs: [String], input: String, shape: [Int], attributes: ONNXAttributes,
                   fail: (String) -> MLError) throws -> NetworkOperation? {
        func constant(_ index: Int) -> RealTensor? { index < inputs.count && !inputs[index].isEmpty ? constants[inputs[index]] : nil }
        func required(_ index: Int, _ what: String) throws -> RealTensor {
            guard let tensor = constant(index) else { throw fail("\(what) must be a constant (an initializer)") }
            return tensor
        }
        /// The other operand of a binary operation, broadcast check included.
        func otherOperand() throws -> RealTensor {
            guard inputs.count == 2, let c = constant(inputs[0] == input ? 1 : 0) else { throw fail("one operand must be a constant") }
            return try broadcastConstant(c, to: shape, fail: fail)
        }
        let rank = shape.count + 1   // ONNX's rank, batch included
        func axis(_ value: Int) throws -> Int {
            let normalized = value < 0 ? value + rank : value
            guard (1..<rank).contains(normalized) else { throw fail("axis \(value) is the batch axis or out of range for rank \(rank)") }
            return normalized - 1
        }
        switch node.opType {
        case "Identity":
            return nil
        case "Gemm":
            guard attributes.int("transA", 0) == 0 else { throw fail("transA = 1 is not supported") }
            let b = try required(1, "B"), alpha = attributes.float("alpha", 1), beta = attributes.float("beta", 1)
            guard b.shape.count == 2 else { throw fail("B must be a matrix") }
            let weights = attributes.int("transB", 0) == 1 ? transposed(b) : b
            let outputs = weights.shape[1]
            var bias = [Double]()
            if let c = constant(2) {
                guard let broadcast = c.broadcast(to: [outputs]) ?? (c.shape == [1, outputs] ? RealTensor(shape: [outputs], values: c.values) : nil)
                else { throw fail("C of shape \(c.shape) does not broadcast to [\(outputs)]") }
                bias = broadcast.values.map { beta * $0 }
            }
            let grid = grids[inputs[1]].map { $0 * abs(alpha) }
            return .dense(weights: RealTensor(shape: weights.shape, values: weights.values.map { alpha * $0 }), bias: bias, grid: grid)
        case "MatMul":
            guard inputs[0] == input else { throw fail("the computed tensor must be on the left") }
            let b = try required(1, "the right operand")
            guard b.shape.count == 2 else { throw fail("the right operand must be a matrix") }
            return .dense(weights: b, bias: [], grid: grids[inputs[1]])
        case "Add":
            return .add(try otherOperand())
        case "Sub":
            guard inputs[0] == input else { throw fail("a constant minus a computed tensor is not supported: write x * -1 + c") }
            let c = try otherOperand()
            return .add(RealTensor(shape: c.shape, values: c.values.map { -$0 }))
        case "Mul":
            return .multiply(try otherOperand())
        case "Div":
            guard inputs[0] == input else { throw fail("division by a computed tensor is not supported") }
            let c = try otherOperand()
            guard !c.values.contains(0) else { throw fail("division by a constant holding 0") }
            return .multiply(RealTensor(shape: c.shape, values: c.values.map { 1 / $0 }))
        case "Relu": return .activation(.relu)
        case "Sigmoid": return .activation(.sigmoid)
        case "Tanh": return .activation(.tanh)
        case "Softplus": return .activation(.softplus)
        case "LeakyRelu": return .activation(.leakyRelu(alpha: attributes.float("alpha", 0.01)))
        case "Elu": return .activation(.elu(alpha: attributes.float("alpha", 1)))
        case "Selu":
            return .activation(.selu(alpha: attributes.float("alpha", 1.67326319217681884765625),
                                     gamma: attributes.float("gamma", 1.05070102214813232421875)))
        case "HardSigmoid": return .activation(.hardSigmoid(alpha: attributes.float("alpha", 0.2), beta: attributes.float("beta", 0.5)))
        case "Clip":
            func bound(_ index: Int, _ fallback: Double) throws -> Double {
                guard index < inputs.count, !inputs[index].isEmpty else { return fallback }
                let c = try required(index, "a bound")
                guard c.count == 1 else { throw fail("a bound must be a scalar") }
                return c.values[0]
            }
            let low = try bound(1, -.infinity), high = try bound(2, .infinity)
            guard low <= high else { throw fail("min \(low) is above max \(high)") }
            return .activation(.clip(low: low, high: high))
        case "Conv":
            try requireNoAutoPad(attributes, fail)
            let weights = try required(1, "the weights")
            guard shape.count == 3, weights.shape.count == 4 else { throw fail("2-D convolutions of [batch, channels, height, width] are supported") }
            let bias = constant(2)?.values ?? []
            guard bias.isEmpty || bias.count == weights.shape[0] else { throw fail("\(bias.count) biases for \(weights.shape[0]) outputs") }
            let window = LinearOperation.Window(kernel: Array(weights.shape[2...]), strides: attributes.ints("strides") ?? [1, 1],
                                                pads: attributes.ints("pads") ?? [0, 0, 0, 0], dilations: attributes.ints("dilations") ?? [1, 1])
            return .conv(weights: weights, bias: bias, window: window, groups: attributes.int("group", 1), grid: grids[inputs[1]])
        case "AveragePool", "MaxPool":
            try requireNoAutoPad(attributes, fail)
            guard shape.count == 3 else { throw fail("2-D pooling of [batch, channels, height, width] is supported") }
            guard attributes.int("ceil_mode", 0) == 0 else { throw fail("ceil_mode = 1 is not supported") }
            guard node.output.count == 1 || node.output[1].isEmpty else { throw fail("the indices output is not supported") }
            guard let kernel = attributes.ints("kernel_shape") else { throw fail("kernel_shape is missing") }
            let window = LinearOperation.Window(kernel: kernel, strides: attributes.ints("strides") ?? [1, 1],
                                                pads: attributes.ints("pads") ?? [0, 0, 0, 0], dilations: attributes.ints("dilations") ?? [1, 1])
            if node.opType == "MaxPool" { return .maxPool(window) }
            guard window.dilations == [1, 1] else { throw fail("dilations are not supported for AveragePool") }
            return .averagePool(window, countIncludePad: attributes.int("count_include_pad", 0) == 1)
        case "GlobalAveragePool":
            guard shape.count == 3 else { throw fail("2-D pooling of [batch, channels, height, width] is supported") }
            return .averagePool(LinearOperation.Window(kernel: Array(shape[1...]), strides: Array(shape[1...])), countIncludePad: true)
        case "Flatten":
            guard try axis(attributes.int("axis", 1)) == 0 else { throw fail("Flatten keeps the batch axis: axis must be 1") }
            return .reshape([Tensor.elementCount(of: shape)])
        case "Reshape":
            guard attributes.int("allowzero", 0) == 0 else { throw fail("allowzero = 1 is not supported") }
            return .reshape(try reshaped(shape, to: try required(1, "the shape").values.map { Int($0) }, fail: fail))
        case "Transpose":
            let permutation = attributes.ints("perm") ?? Array((0..<rank).reversed())
            guard permutation.first == 0, permutation.count == rank else { throw fail("the batch axis must stay first") }
            return .transpose(permutation.dropFirst().map { $0 - 1 })
        case "Squeeze", "Unsqueeze":
            let axes = try (constant(1)?.values.map { Int($0) } ?? attributes.ints("axes") ?? []).map { value -> Int in
                let normalized = value < 0 ? value + rank + (node.opType == "Unsqueeze" ? 1 : 0) : value
                guard normalized >= 1 else { throw fail("the batch axis cannot be squeezed or unsqueezed") }
                return normalized - 1
            }
            var result = shape
            if node.opType == "Squeeze" {
                let removed = axes.isEmpty ? shape.indices.filter { shape[$0] == 1 } : axes
                guard removed.allSatisfy({ shape.indices.contains($0) && shape[$0] == 1 }) else { throw fail("only axes of size 1 can be squeezed") }
                result = shape.indices.filter { !removed.contains($0) }.map { shape[$0] }
            } else {
                for axis in axes.sorted() {
                    guard axis <= result.count else { throw fail("axis \(axis + 1) is out of range") }
                    result.insert(1, at: axis)
                }
            }
            return .reshape(result)
        case "Concat":
            return .concat(axis: try axis(attributes.int("axis", 1)))
        case "Pad":
            guard (attributes.string("mode") ?? "constant") == "constant" else { throw fail("only constant padding is supported") }
            if let value = constant(2), value.values.contains(where: { $0 != 0 }) { throw fail("only padding with 0 is supported") }
            let pads = try required(1, "pads").values.map { Int($0) }
            guard pads.count == 2 * rank, pads[0] == 0, pads[rank] == 0 else { throw fail("pads must have \(2 * rank) entries and leave the batch axis") }
            return .pad(Array(pads[1..<rank]) + Array(pads[(rank + 1)...]))
        case "ReduceMean", "ReduceSum":
            let given = constant(1)?.values.map { Int($0) } ?? attributes.ints("axes")
            let axes = try given.map { try $0.map(axis) } ?? Array(shape.indices)
            return .reduce(axes: Array(Set(axes)).sorted(), keepDims: attributes.int("keepdims", 1) == 1, mean: node.opType == "ReduceMean")
        case "Expand":
            let target = try required(1, "the shape").values.map { Int($0) }
            guard let full = ShapeInference.broadcast([1] + shape, target), full.first == 1 else {
                throw fail("shape \(shape) does not expand to \(target) with a batch of 1")
            }
            return .expand(Array(full.dropFirst()))
        default:
            throw fail("\(node.opType) is supported at the end of the graph only")
        }
    }

    /// ONNX's Reshape target (0 copies a dimension, −1 is inferred) for an input of `shape`
    /// plus the batch axis; the result must keep a batch axis of 1 first.
    private func reshaped(_ shape: [Int], to target: [Int], fail: (String) -> MLError) throws -> [Int] {
        let full = [1] + shape, count = Tensor.elementCount(of: shape)
        var result = try target.enumerated().map { index, value -> Int in
            guard value >= -1 else { throw fail("dimension \(value) is not valid") }
            if value == 0 {
                guard index < full.count else { throw fail("0 copies a dimension the input does not have") }
                return full[index]
            }
            return value
        }
        if let unknown = result.firstIndex(of: -1) {
            let known = result.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            guard known > 0, count % known == 0, result.filter({ $0 == -1 }).count == 1 else { throw fail("cannot infer the dimension of \(target)") }
            result[unknown] = count / known
        }
        guard Tensor.checkedElementCount(of: result) == count, result.first == 1 else {
            throw fail("cannot reshape \(full) to \(target) keeping the batch axis first")
        }
        return Array(result.dropFirst())
    }

    private func requireNoAutoPad(_ attributes: ONNXAttributes, _ fail: (String) -> MLError) throws {
        if let autoPad = attributes.string("auto_pad"), autoPad != "NOTSET" { throw fail("auto_pad \(autoPad) is not supported: export explicit pads") }
    }

    func transposed(_ matrix: RealTensor) -> RealTensor {
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        return RealTensor(shape: [columns, rows], values: (0..<columns).flatMap { c in (0..<rows).map { matrix.values[$0 * columns + c] } })
    }

    /// The scale, zero point and integer range of a QuantizeLinear node (per tensor).
    func quantization(_ node: Onnx_NodeProto, inputs: [String], input: String, fail: (String) -> MLError) throws
        -> (scale: Double, zeroPoint: Int, range: ClosedRange<Int>, input: String) {
        guard inputs.count >= 2, let scale = constants[inputs[1]], scale.count == 1, scale.values[0] > 0 else {
            throw fail("the scale must be one positive constant (per-tensor quantization)")
        }
        var zeroPoint = 0, range = 0...255
        if inputs.count >= 3, !inputs[2].isEmpty {
            guard let point = constants[inputs[2]], point.count == 1 else { throw fail("the zero point must be one constant") }
            zeroPoint = Int(point.values[0])
            range = zeroPointRanges[inputs[2]] ?? range
        }
        guard range.contains(zeroPoint) else { throw fail("the zero point \(zeroPoint) is outside \(range)") }
        return (scale.values[0], zeroPoint, range, input)
    }

    /// Operations on constants only, folded at import: weights quantized and dequantized,
    /// transposed, reshaped or combined.
    mutating func fold(_ node: Onnx_NodeProto, inputs: [String], attributes: ONNXAttributes, fail: (String) -> MLError) throws -> RealTensor {
        let values = inputs.map { $0.isEmpty ? nil : constants[$0] }
        guard let x = values.first ?? nil else { throw fail("no input") }
        switch node.opType {
        case "Identity":
            return x
        case "QuantizeLinear":
            let q = try quantization(node, inputs: inputs, input: inputs[0], fail: fail)
            let quantization = FakeQuantization(scale: q.scale, zeroPoint: q.zeroPoint, low: q.range.lowerBound, high: q.range.upperBound)
            quantized[node.output[0]] = q
            return RealTensor(shape: x.shape, values: x.values.map { Double(quantization.quantize($0)) })
        case "DequantizeLinear":
            guard let q = quantized[inputs[0]] else { throw fail("DequantizeLinear of a constant must read a QuantizeLinear") }
            grids[node.output[0]] = q.scale
            return RealTensor(shape: x.shape, values: x.values.map { ($0 - Double(q.zeroPoint)) * q.scale })
        case "Transpose":
            guard x.shape.count == 2, (attributes.ints("perm") ?? [1, 0]) == [1, 0] else { throw fail("only matrices of constants are transposed") }
            return transposed(x)
        case "Reshape", "Flatten", "Squeeze", "Unsqueeze":
            throw fail("\(node.opType) of a constant is not supported: export with constant folding (do_constant_folding=True)")
        case "Add", "Sub", "Mul", "Div":
            guard values.count == 2, let y = values[1], let shape = ShapeInference.broadcast(x.shape, y.shape),
                  let a = x.broadcast(to: shape), let b = y.broadcast(to: shape) else { throw fail("constants that do not broadcast") }
            let combine: (Double, Double) -> Double = switch node.opType {
            case "Add": (+)
            case "Sub": (-)
            case "Mul": (*)
            default: (/)
            }
            let result = zip(a.values, b.values).map(combine)
            guard result.allSatisfy(\.isFinite) else { throw fail("a constant that is not finite") }
            return RealTensor(shape: shape, values: result)
        default:
            throw fail("\(node.opType) of constants only is not supported")
        }
    }

    /// BatchNormalization (inference): y = (x − mean)/√(var + ε)·scale + B per channel (axis 1),
    /// folded into the convolution or dense layer just before when nothing else reads it,
    /// else a multiplication and an addition.
    mutating func batchNormalization(_ node: Onnx_NodeProto, name: String, inputs: [String], input: String, shape: [Int],
                                     attributes: ONNXAttributes, fail: (String) -> MLError) throws {
        guard inputs.count == 5, let scale = constants[inputs[1]], let b = constants[inputs[2]], let mean = constants[inputs[3]],
              let variance = constants[inputs[4]], !shape.isEmpty else { throw fail("scale, B, mean and var must be constants") }
        let channels = shape[0], epsilon = attributes.float("epsilon", 1e-5)
        guard [scale, b, mean, variance].allSatisfy({ $0.count == channels }), variance.values.allSatisfy({ $0 + epsilon > 0 }) else {
            throw fail("per-channel parameters of \(channels) channels are needed")
        }
        let a = (0..<channels).map { scale.values[$0] / (variance.values[$0] + epsilon).squareRoot() }
        let shift = (0..<channels).map { b.values[$0] - mean.values[$0] * a[$0] }
        let out = node.output[0]
        if let last = nodes.last, last.output == input, uses[input] == 1 {
            switch last.operation {
            case let .conv(weights, bias, window, groups, _):
                let perOutput = weights.count / channels
                let scaled = weights.values.indices.map { weights.values[$0] * a[$0 / perOutput] }
                let newBias = (0..<channels).map { (bias.isEmpty ? 0 : bias[$0]) * a[$0] + shift[$0] }
                nodes[nodes.count - 1] = NetworkNode(name: last.name, operation: .conv(weights: RealTensor(shape: weights.shape, values: scaled),
                                                                                        bias: newBias, window: window, groups: groups, grid: nil),
                                                     inputs: last.inputs, output: last.output)
                aliases[out] = input
                return
            case let .dense(weights, bias, _) where shape.count == 1:
                let outputs = weights.shape[1]
                let scaled = weights.values.indices.map { weights.values[$0] * a[$0 % outputs] }
                let newBias = (0..<outputs).map { (bias.isEmpty ? 0 : bias[$0]) * a[$0] + shift[$0] }
                nodes[nodes.count - 1] = NetworkNode(name: last.name, operation: .dense(weights: RealTensor(shape: weights.shape, values: scaled),
                                                                                         bias: newBias, grid: nil),
                                                     inputs: last.inputs, output: last.output)
                aliases[out] = input
                return
            default:
                break
            }
        }
        let perChannel = [channels] + Array(repeating: 1, count: shape.count - 1)
        append(NetworkNode(name: name, operation: .multiply(RealTensor(shape: perChannel, values: a)), inputs: [input], output: out + "/scaled"),
               shape: shape)
        append(NetworkNode(name: name, operation: .add(RealTensor(shape: perChannel, values: shift)), inputs: [out + "/scaled"], output: out),
               shape: shape)
    }
}
