@testable import FHEML
import Foundation
import Testing

/// ONNX files are read from outside: each forgery gets a clear error, never a crash, a hang or an
/// allocation the file does not pay for.
@Suite("Hostile ONNX files")
struct HostileONNXTests {
    static func tensor(_ name: String, dims: [Int64], floats: [Float]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.floatData = floats
        return tensor
    }

    static func node(_ type: String, _ inputs: [String], _ output: String, name: String = "") -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = type
        node.input = inputs
        node.output = [output]
        node.name = name
        return node
    }

    /// A model of one input x of shape `inputShape` (a batch dimension first) and output y.
    static func model(_ nodes: [Onnx_NodeProto], initializers: [Onnx_TensorProto] = [], inputShape: [Int64?] = [1, 4],
                      opset: Int64 = 17) throws -> Data {
        var model = Onnx_ModelProto()
        var opsetID = Onnx_OperatorSetIdProto()
        opsetID.version = opset
        model.opsetImport = [opsetID]
        var input = Onnx_ValueInfoProto()
        input.name = "x"
        input.type.tensorType.elemType = 1
        input.type.tensorType.shape.dim = inputShape.map { size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            if let size { dimension.dimValue = size } else { dimension.dimParam = "n" }
            return dimension
        }
        var output = Onnx_ValueInfoProto()
        output.name = "y"
        model.graph.input = [input]
        model.graph.output = [output]
        model.graph.node = nodes
        model.graph.initializer = initializers
        return try model.serializedData()
    }

    static let weights = tensor("w", dims: [4, 2], floats: [1, 2, 3, 4, 5, 6, 7, 8])
    static let rows = [[0.5, 1, -1, 2], [1, 0, 0.25, -2]]

    func refused(_ data: Data, saying words: [String]) {
        do {
            _ = try QuantizedModule(onnx: data, inputset: Self.rows, nBits: 4)
            Issue.record("accepted a forged model")
        } catch let error as MLError {
            let message = "\(error)"
            #expect(words.allSatisfy { message.contains($0) }, Comment(rawValue: message))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("Bytes that are not ONNX, and a truncated model, are refused")
    func notONNX() throws {
        refused(Data([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), saying: ["not an ONNX model"])
        let file = try ONNXFixtures.data("mlp_breast_cancer.onnx")
        refused(file.prefix(file.count / 2), saying: ["not an ONNX model"])
    }

    @Test("An unsupported operator is named with its node")
    func unsupportedOperator() throws {
        refused(try Self.model([Self.node("MatMul", ["x", "w"], "h"), Self.node("Cos", ["h"], "y", name: "the cosine")],
                               initializers: [Self.weights]), saying: ["Cos", "the cosine", "not supported"])
    }

    @Test("Opsets outside 13–17 are refused")
    func opset() throws {
        refused(try Self.model([Self.node("MatMul", ["x", "w"], "y")], initializers: [Self.weights], opset: 11), saying: ["opset 11"])
    }

    @Test("External data, sizes that do not match their data, huge dimensions and values that are not finite are refused")
    func forgedTensors() throws {
        var external = Self.weights
        external.dataLocation = .external
        refused(try Self.model([Self.node("MatMul", ["x", "w"], "y")], initializers: [external]), saying: ["external"])
        let short = Self.tensor("w", dims: [4, 2], floats: [1, 2])
        refused(try Self.model([Self.node("MatMul", ["x", "w"], "y")], initializers: [short]), saying: ["holds 2 values, not 8"])
        let huge = Self.tensor("w", dims: [1 << 30, 1 << 30], floats: [])
        refused(try Self.model([Self.node("MatMul", ["x", "w"], "y")], initializers: [huge]), saying: ["too large"])
        let nan = Self.tensor("w", dims: [4, 2], floats: [1, 2, .nan, 4, 5, 6, 7, 8])
        refused(try Self.model([Self.node("MatMul", ["x", "w"], "y")], initializers: [nan]), saying: ["not finite"])
    }

    @Test("Inputs without fixed sizes, unknown tensors and attributes the importer does not support are refused")
    func forgedGraphs() throws {
        refused(try Self.model([Self.node("MatMul", ["x", "w"], "y")], initializers: [Self.weights], inputShape: [1, nil]),
                saying: ["fixed dimensions"])
        refused(try Self.model([Self.node("MatMul", ["x", "nowhere"], "y")], initializers: [Self.weights]), saying: ["nowhere"])
        var conv = Self.node("Conv", ["x", "k"], "y")
        var autoPad = Onnx_AttributeProto()
        autoPad.name = "auto_pad"
        autoPad.type = .string
        autoPad.s = Data("SAME_UPPER".utf8)
        conv.attribute = [autoPad]
        refused(try Self.model([conv], initializers: [Self.tensor("k", dims: [1, 1, 1, 1], floats: [1])], inputShape: [1, 1, 2, 2]),
                saying: ["auto_pad"])
        refused(try Self.model([Self.node("Add", ["x", "x"], "y")]), saying: ["Add", "must be a constant"])
    }

    @Test("Rows of the wrong length are refused by forward")
    func wrongRows() throws {
        let network = try QuantizedModule(onnx: try Self.model([Self.node("MatMul", ["x", "w"], "h"), Self.node("Relu", ["h"], "y")],
                                                               initializers: [Self.weights]), inputset: Self.rows, nBits: 4)
        #expect(throws: MLError.self) { try network.forward([[1, 2, 3]]) }
        #expect(throws: MLError.self) { try network.forward([[1, 2, 3, .nan]]) }
    }

    @Test("Model specs with a forged block count (OutputDecoding.chunks) are refused")
    func forgedChunks() throws {
        let network = try QuantizedModule(onnx: try Self.model([Self.node("MatMul", ["x", "w"], "h"), Self.node("Relu", ["h"], "y")],
                                                               initializers: [Self.weights]), inputset: Self.rows, nBits: 4)
        let valid = try network.clientSpecs.serialized()
        #expect(try ModelClientSpecs(serialized: valid) == network.clientSpecs)
        for chunks: UInt8 in [0, 3, 9, 255] {   // the last byte; 2 outputs split into 3 blocks, or out of 1…8
            var forged = valid
            forged[forged.count - 1] = chunks
            #expect(throws: (any Error).self) { try ModelClientSpecs(serialized: forged) }
        }
        #expect(throws: (any Error).self) { try ModelClientSpecs(serialized: valid.dropLast()) }
    }
}

