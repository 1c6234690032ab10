import FHEProgram
import Foundation
import SwiftProtobuf

/// ONNX models (opsets 13–17 of the default domain) read into a `Network`: initializers and
/// Constant nodes become real constants, operations on constants are folded, the batch
/// dimension is dropped, BatchNormalization is folded into the convolution or dense layer
/// before it, and Softmax, LogSoftmax or ReduceMax over the last axis at the end become the
/// client's post-processing.
struct ONNXImport {
    static let opsets = 13...17
    /// The largest model file read.
    static let maximumBytes = 1 << 28

    static let supportedOperators = [
        "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Elu", "Selu", "HardSigmoid",
        "Softplus", "Clip", "Conv", "AveragePool", "MaxPool", "GlobalAveragePool", "Flatten", "Reshape", "Transpose",
        "Squeeze", "Unsqueeze", "Concat", "Pad", "BatchNormalization", "Identity", "Constant", "QuantizeLinear",
        "DequantizeLinear", "ReduceMean", "ReduceSum", "Expand", "Softmax", "LogSoftmax", "ReduceMax",
    ]

    var constants = [String: RealTensor]()
    /// The integer range of each constant of an 8-bit type (zero points say QuantizeLinear's type).
    var zeroPointRanges = [String: ClosedRange<Int>]()
    /// The step of each constant that DequantizeLinear produced (quantization-aware weights).
    var grids = [String: Double]()
    /// The integer range of each QuantizeLinear output (computed or constant).
    var quantized = [String: (scale: Double, zeroPoint: Int, range: ClosedRange<Int>, input: String)]()
    private var shapes = [String: [Int]]()
    var nodes = [NetworkNode]()
    var aliases = [String: String]()
    var uses = [String: Int]()
    private var postProcessing = OutputDecoding.PostProcessing.identity
    private var output = ""

    /// - Throws: `MLError.invalidData` for a file that is not an ONNX model or is inconsistent,
    ///   `MLError.unsupportedModel` naming the operator and node the importer does not support.
    static func network(from data: Data) throws -> Network {
        guard data.count <= maximumBytes else { throw MLError.invalidData("the ONNX file has \(data.count) bytes, more than \(maximumBytes)") }
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw MLError.invalidData("the data is not an ONNX model: \(error)")
        }
        let opset = model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?.version ?? 0
        guard opsets.contains(Int(opset)) else {
            throw MLError.unsupportedModel("the model uses opset \(opset); opsets \(opsets.lowerBound)–\(opsets.upperBound) are supported "
                + "(torch.onnx.export(..., opset_version=17))")
        }
        var importer = ONNXImport()
        return try importer.read(model.graph)
    }

    private mutating func read(_ graph: Onnx_GraphProto) throws -> Network {
        for initializer in graph.initializer {
            constants[initializer.name] = try ONNXTensors.real(initializer, name: initializer.name)
            zeroPointRanges[initializer.name] = ONNXTensors.integerRange(dataType: initializer.dataType)
        }
        let inputs = graph.input.filter { constants[$0.name] == nil }
        guard inputs.count == 1, let input = inputs.first else {
            throw MLError.unsupportedModel("the graph has \(inputs.count) inputs besides its weights: one is supported")
        }
        let dimensions = input.type.tensorType.shape.dim
        guard !dimensions.isEmpty else { throw MLError.unsupportedModel("input '\(input.name)' has no shape: export with an example input") }
        let inner = try dimensions.dropFirst().map { dimension -> Int in
            guard case let .dimValue(value)? = dimension.value, (1...Int64(ONNXTensors.maximumElements)).contains(value) else {
                throw MLError.unsupportedModel("input '\(input.name)' needs fixed dimensions after the batch dimension")
            }
            return Int(value)
        }
        guard Tensor.checkedElementCount(of: inner).map({ $0 <= ONNXTensors.maximumElements }) ?? false else {
            throw MLError.invalidData("input '\(input.name)' of shape \(inner) is too large")
        }
        shapes[input.name] = inner
        guard graph.output.count == 1 else { throw MLError.unsupportedModel("the graph has \(graph.output.count) outputs: one is supported") }
        for node in graph.node { for name in node.input where !name.isEmpty { uses[name, default: 0] += 1 } }
        for (position, node) in graph.node.enumerated() {
            try read(node, name: node.name.isEmpty ? "\(node.opType) #\(position)" : node.name, isLast: position == graph.node.count - 1)
        }
        let result = output.isEmpty ? resolve(graph.output[0].name) : output
        guard shapes[result] != nil, result != input.name || !nodes.isEmpty else {
            throw MLError.unsupportedModel("the graph's output '\(graph.output[0].name)' is not computed from its input")
        }
        return Network(inputName: input.name, inputShape: inner, nodes: nodes, output: result, postProcessing: postProcessing)
    }

    private func resolve(_ name: String) -> String { aliases[name] ?? name }

    private mutating func read(_ node: Onnx_NodeProto, name: String, isLast: Bool) throws {
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw MLError.unsupportedModel("node \(name): operator \(node.domain).\(node.opType) is not supported")
        }
        guard let out = node.output.first, !out.isEmpty else { throw MLError.invalidData("node \(name) has no output") }
        let attributes = ONNXAttributes(node)
        let inputs = node.input.map { $0.isEmpty ? "" : resolve($0) }
        func fail(_ message: String) -> MLError { .unsupportedModel("node \(name) (\(node.opType)): \(message)") }

        if node.opType == "Constant" {
            if let tensor = attributes.tensor("value") {
                constants[out] = try ONNXTensors.real(tensor, name: out)
                zeroPointRanges[out] = ONNXTensors.integerRange(dataType: tensor.dataType)
            }
            else if attributes.contains("value_float") { constants[out] = RealTensor(scalar: attributes.float("value_float", 0)) }
            else if attributes.contains("value_int") { constants[out] = RealTensor(scalar: Double(attributes.int("value_int", 0))) }
            else if let values = attributes.ints("value_ints") { constants[out] = RealTensor(shape: [values.count], values: values.map(Double.init)) }
            else { throw fail("only tensor, float and int constants are supported") }
            return
        }
        guard Self.supportedOperators.contains(node.opType) else {
            throw MLError.unsupportedModel("node \(name): operator \(node.opType) is not supported; the supported operators are "
                + Self.supportedOperators.joined(separator: ", "))
        }
        let computed = inputs.filter { !$0.isEmpty && shapes[$0] != nil }
        if let missing = inputs.first(where: { !$0.isEmpty && shapes[$0] == nil && constants[$0] == nil }) {
            throw MLError.invalidData("node \(name) reads '\(missing)', which no earlier node computes")
        }
        guard let first = computed.first, let shape = shapes[first] else {
            constants[out] = try fold(node, inputs: inputs, attributes: attributes, fail: fail)   // constants only
            return
        }
        if isLast, let post = try postProcessing(node, shape: shape, attributes: attributes) {
            postProcessing = post
            output = first
            return
        }
        switch node.opType {
        case "QuantizeLinear":
            quantized[out] = try quantization(node, inputs: inputs, input: first, fail: fail)
            shapes[out] = shape
            return
        case "DequantizeLinear":
            guard let q = quantized[first] else { throw fail("DequantizeLinear must read a QuantizeLinear") }
            let quantization = FakeQuantization(scale: q.scale, zeroPoint: q.zeroPoint, low: q.range.lowerBound, high: q.range.upperBound)
            append(NetworkNode(name: name, operation: .activation(.fakeQuantize(quantization)), inputs: [q.input], output: out), shape: shape)
            return
        case "BatchNormalization":
            try batchNormalization(node, name: name, inputs: inputs, input: first, shape: shape, attributes: attributes, fail: fail)
            return
        default:
            break
        }
        guard let operation = try operation(node, inputs: inputs, input: first, shape: shape, attributes: attributes, fail: fail) else {
            aliases[out] = first   // Identity
            return
        }
        if case .concat = operation {
            guard computed.count == inputs.count, computed.allSatisfy({ shapes[$0]?.count == shape.count }) else {
                throw fail("Concat joins computed tensors of the same rank, no constants")
            }
        } else if computed.count != 1 {
            throw fail("an operation of two computed tensors is not supported: one operand must be a constant (weights)")
        }
        if case let .add(c) = operation, try foldBias(into: first, c) { aliases[out] = first; return }
        let outputShape = try operation.evaluate(computed.map { RealTensor(shape: shapes[$0]!, values: Array(repeating: 0, count: Tensor.elementCount(of: shapes[$0]!))) },
                                                 node: name).shape
        append(NetworkNode(name: name, operation: operation, inputs: node.opType == "Concat" ? computed : [first], output: out), shape: outputShape)
    }

    mutating func append(_ node: NetworkNode, shape: [Int]) {
        shapes[node.output] = shape
        nodes.append(node)
    }

    /// A constant added to the output of the dense layer or convolution just before, used only
    /// here, becomes its bias (MatMul then Add, as exporters write Linear layers).
    private mutating func foldBias(into input: String, _ c: RealTensor) throws -> Bool {
        guard let last = nodes.last, last.output == input, uses[input] == 1 else { return false }
        switch last.operation {
        case let .dense(weights, bias, grid) where Tensor.elementCount(of: c.shape) == weights.shape[1] && c.shape.last == weights.shape[1]:
            let added = bias.isEmpty ? c.values : zip(bias, c.values).map(+)
            nodes[nodes.count - 1] = NetworkNode(name: last.name, operation: .dense(weights: weights, bias: added, grid: grid),
                                                 inputs: last.inputs, output: last.output)
            return true
        default:
            return false
        }
    }

    func broadcastConstant(_ c: RealTensor, to shape: [Int], fail: (String) -> MLError) throws -> RealTensor {
        // A constant of the full rank (batch included) loses its batch dimension of 1.
        var c = c
        if c.shape.count == shape.count + 1 {
            guard c.shape[0] == 1 else { throw fail("a constant of shape \(c.shape) varies along the batch dimension") }
            c = RealTensor(shape: Array(c.shape.dropFirst()), values: c.values)
        }
        guard ShapeInference.broadcast(c.shape, shape) == shape else { throw fail("a constant of shape \(c.shape) does not broadcast to \(shape)") }
        return c
    }

    /// Softmax, LogSoftmax or ReduceMax over the last axis, when it ends the graph.
    private func postProcessing(_ node: Onnx_NodeProto, shape: [Int], attributes: ONNXAttributes) throws -> OutputDecoding.PostProcessing? {
        let rank = shape.count + 1
        func isLastAxis(_ axis: Int) -> Bool { axis == -1 || axis == rank - 1 }
        switch node.opType {
        case "Softmax" where isLastAxis(attributes.int("axis", -1)): return .softmax
        case "LogSoftmax" where isLastAxis(attributes.int("axis", -1)): return .logSoftmax
        case "ReduceMax" where shape.count == 1 && (attributes.ints("axes").map { $0.count == 1 && isLastAxis($0[0]) } ?? true):
            return .maximum
        case "Softmax", "LogSoftmax", "ReduceMax":
            throw MLError.unsupportedModel("\(node.opType) is supported over the last axis of a vector output, when it ends the graph")
        default: return nil
        }
    }
}
