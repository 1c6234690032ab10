import FHEML
import Foundation
import Testing

/// The ONNX fixtures (Fixtures/ONNX, made by make_onnx.py with PyTorch).
enum ONNXFixtures {
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ONNX/\(name)"))
    }

    /// Breast cancer on raw features (the fixture standardises inside its graph), split 80/20.
    static let breastCancer = try! Dataset.breastCancer().split(testFraction: 0.2, seed: 0)
    /// Digits as images of 0…1, split 80/20.
    static let digits: (train: [[Double]], trainLabels: [Int], test: [[Double]], testLabels: [Int]) = {
        let (train, test) = try! Dataset.digits().split(testFraction: 0.2, seed: 0)
        return (train.rows.map { $0.map { $0 / 16 } }, train.labels, test.rows.map { $0.map { $0 / 16 } }, test.labels)
    }()

    static func argmax(_ row: [Double]) -> Int { row.indices.max { row[$0] < row[$1] }! }

    /// The share of rows on which two outputs agree on the argmax.
    static func agreement(_ a: [[Double]], _ b: [[Double]]) -> Double {
        Double(zip(a, b).count { argmax($0) == argmax($1) }) / Double(a.count)
    }
}

@Suite("Networks from ONNX")
struct NetworkTests {
    /// (Its 15-bit output accumulators need N = 8192: it runs in FHE in MLBenchmarks, not here.)
    @Test("An MLP (Sub, Div, Gemm, Relu, Gemm) at 6 bits agrees with its float network; simulate = disable")
    func mlp() throws {
        let split = ONNXFixtures.breastCancer
        let network = try QuantizedModule(onnx: try ONNXFixtures.data("mlp_breast_cancer.onnx"), inputset: split.train.rows,
                                          nBits: 6, roundingThresholdBits: 6)
        let float = try network.forwardFloat(split.test.rows), clear = try network.forward(split.test.rows)
        let agreement = ONNXFixtures.agreement(float, clear)
        #expect(agreement >= 0.97)
        // Its 13-bit output accumulators are decrypted in parts, one per 2 bits of the weights.
        #expect(network.compiledModel!.decoding.chunks == 3)
        let specs = try ModelClientSpecs(serialized: network.clientSpecs.serialized())
        #expect(specs == (try network.clientSpecs))
        #expect(try network.forward(split.test.rows, fhe: .simulate) == clear)
    }

    @Test("The MLP with approximate rounding: no rounding PBS (32 in all, against 128), the same agreement with its float network")
    func mlpApproximate() throws {
        let split = ONNXFixtures.breastCancer
        let network = try QuantizedModule(onnx: try ONNXFixtures.data("mlp_breast_cancer.onnx"), inputset: split.train.rows,
                                          nBits: 6, roundingThresholdBits: 6, roundingExactness: .approximate)
        #expect(network.circuit!.statistics.programmableBootstrapCount == 32)
        #expect(network.circuit!.graph.contains("exactness=approximate"))
        #expect(ONNXFixtures.agreement(try network.forwardFloat(split.test.rows), try network.forward(split.test.rows, fhe: .simulate)) >= 0.97)
        // The assistant's report has one line per layer's lookup: its input, rounding, width and PBS.
        let report = try ModelReport(network).text
        #expect(report.contains("rounded by") && report.contains("(approximate), 6-bit lookup: 32 PBS"))
    }

    @Test("A CNN on 8×8 digits (Conv, Relu, AveragePool, Flatten, Gemm) reaches 90 % simulated, agrees with its float network; simulate = disable")
    func cnn() throws {
        let digits = ONNXFixtures.digits
        let network = try QuantizedModule(onnx: try ONNXFixtures.data("cnn_digits.onnx"), inputset: Array(digits.train.prefix(400)), nBits: 6,
                                          roundingThresholdBits: 6)
        let rows = Array(digits.test.prefix(120)), labels = Array(digits.testLabels.prefix(120))
        let float = try network.forwardFloat(rows), simulated = try network.forward(rows, fhe: .simulate)
        #expect(try network.forward(rows) == simulated)
        let accuracy = Splits.accuracy(simulated.map(ONNXFixtures.argmax), labels)
        #expect(ONNXFixtures.agreement(float, simulated) >= 0.97)
        #expect(accuracy >= 0.9)
    }

    @Test("A quantization-aware export (QuantizeLinear, Clip, DequantizeLinear) keeps its scales: within 1 point of its float accuracy; simulate = disable")
    func quantizationAware() throws {
        let data = try Dataset.breastCancer(), scaler = try Standardizer(fittedOn: data.rows)
        let rows = scaler.transform(data.rows)
        let network = try QuantizedModule(onnx: try ONNXFixtures.data("qat_mlp_breast_cancer.onnx"), inputset: rows, nBits: 6,
                                          roundingThresholdBits: 7)
        // The export's 4-bit input quantizer, not a calibrated one.
        #expect(network.compiledModel!.inputQuantizers.allSatisfy { $0.scale == Double(Float(0.4)) && $0.zeroPoint == 8 })
        let float = Splits.accuracy(try network.forwardFloat(rows).map(ONNXFixtures.argmax), data.labels)
        let clear = try network.forward(rows)
        let quantized = Splits.accuracy(clear.map(ONNXFixtures.argmax), data.labels)
        #expect(quantized >= float - 0.01)
        #expect(try network.forward(rows, fhe: .simulate) == clear)
    }
}

/// One small graph per operator (Fixtures/ONNX/operators, made by make_operators.py with onnx's
/// reference evaluator): the float network equals ONNX's outputs, the quantized one is close to
/// it, and simulate equals disable.
@Suite("ONNX operators")
struct ONNXOperatorTests {
    static let models = [
        "gemm", "matmul_add_sigmoid", "sub_mul_div_tanh", "leakyrelu", "elu", "selu", "hardsigmoid", "softplus", "clip",
        "conv_groups_strides", "conv_dilations_global_pool", "average_pool_pads", "max_pool", "reshape_transpose_squeeze",
        "concat", "pad_conv", "batch_normalization", "identity_constant", "quantize_dequantize", "reduce_mean_sum", "expand",
        "softmax_output", "logsoftmax_output", "reducemax_output",
    ]

    struct Reference: Decodable {
        let inputs: [[Double]]
        let outputs: [[Double]]
    }

    @Test("Each operator's graph", arguments: models)
    func operatorGraph(_ name: String) throws {
        let reference = try JSONDecoder().decode(Reference.self, from: try ONNXFixtures.data("operators/\(name).json"))
        let network: QuantizedModule
        do {
            network = try QuantizedModule(onnx: try ONNXFixtures.data("operators/\(name).onnx"), inputset: reference.inputs, nBits: 6)
        } catch { print("\(name): \(error)"); throw error }
        let float = try network.forwardFloat(reference.inputs)
        for (computed, expected) in zip(float, reference.outputs) {
            #expect(computed.count == expected.count)
            // QuantizeLinear rounds ties to even: the float32 reference and these doubles may fall on
            // either side of a tie, one output step (0.2) apart.
            let tolerance = name == "quantize_dequantize" ? 0.2 + 1e-6 : 1e-4
            #expect(zip(computed, expected).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }, "\(name): \(computed) against \(expected)")
        }
        let clear = try network.forward(reference.inputs)
        let span = max(reference.outputs.flatMap { $0 }.max()! - reference.outputs.flatMap { $0 }.min()!, 1e-3)
        let error = zip(clear, float).map { zip($0, $1).map { abs($0 - $1) }.max()! }.max()! / span
        #expect(error < 0.1, "\(name)")
        #expect(try network.forward(reference.inputs, fhe: .simulate) == clear)
        if Self.encrypted.contains(name) {
            // At 3 bits, so that the output accumulators (decrypted exactly) keep the parameters small.
            let narrow = try QuantizedModule(onnx: try ONNXFixtures.data("operators/\(name).onnx"), inputset: reference.inputs, nBits: 3)
            let rows = Array(reference.inputs.prefix(2))
            #expect(try narrow.forward(rows, fhe: .execute) == narrow.forward(rows, fhe: .simulate))
        }
    }

    /// The graphs that also run in FHE: pooling, padding and concatenation.
    static let encrypted: Set = ["max_pool", "average_pool_pads", "concat", "pad_conv"]
}

@Suite("Built-in neural network")
struct NeuralNetClassifierTests {
    @Test("NeuralNetClassifier: 3-bit QAT with pruning on breast cancer; accumulators within 8 bits, one lookup per hidden neuron; simulate = disable = execute")
    func classifier() throws {
        let split = Splits.breastCancer
        let model = NeuralNetClassifier(hiddenLayers: [16], weightBits: 3, activationBits: 3)
        try model.fit(split.train, split.trainLabels)
        try model.compile(split.train)
        let float = Splits.accuracy(try model.predictFloat(split.test), split.testLabels)
        let clear = try model.predict(split.test)
        let accuracy = Splits.accuracy(clear, split.testLabels)
        #expect(accuracy >= 0.93 && accuracy >= float - 0.03, "quantized \(accuracy), float \(float)")
        #expect(try model.predict(split.test, fhe: .simulate) == clear)
        // Pruning bounds each neuron's weights, so no accumulator needs rounding.
        #expect(model.keptWeightsPerNeuron == 6)
        #expect(model.circuit!.statistics.programmableBootstrapCount == 16)
        #expect(try model.predict(Array(split.test.prefix(2)), fhe: .execute) == Array(clear.prefix(2)))
        // The same seed trains the same network.
        let again = NeuralNetClassifier(hiddenLayers: [16], weightBits: 3, activationBits: 3)
        try again.fit(split.train, split.trainLabels)
        #expect(try again.predictFloat(split.test) == model.predictFloat(split.test))
    }

    @Test("NeuralNetRegressor: petal width from the other iris measurements, quantized near its float network; simulate = disable = execute")
    func regressor() throws {
        let rows = Splits.iris.train.map { Array($0.prefix(3)) }, targets = Splits.iris.train.map { $0[3] }
        let test = Splits.iris.test.map { Array($0.prefix(3)) }, testTargets = Splits.iris.test.map { $0[3] }
        let model = NeuralNetRegressor(hiddenLayers: [8], weightBits: 3, activationBits: 3)
        model.roundingThresholdBits = 5
        try model.fit(rows, targets)
        try model.compile(rows)
        func rmse(_ predictions: [Double]) -> Double {
            (zip(predictions, testTargets).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(testTargets.count)).squareRoot()
        }
        let clear = try model.predict(test)
        let float = rmse(try model.predictFloat(test)), quantized = rmse(clear)
        // The target spans 0.1…2.5 with a spread of 0.76.
        #expect(float < 0.3 && quantized < 0.35 && quantized < float + 0.1, "RMSE quantized \(quantized), float \(float)")
        #expect(try model.predict(test, fhe: .simulate) == clear)
        #expect(try model.predict(Array(test.prefix(2)), fhe: .execute) == Array(clear.prefix(2)))
    }
}
