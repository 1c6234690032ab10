import FHECompiler
import FHEParameters
import Foundation

/// A multilayer perceptron trained in Swift with quantization-aware training and pruning
/// (Concrete ML's `NeuralNetClassifier`): weights of `weightBits` bits, inputs and ReLU
/// activations of `activationBits` bits, and at most `keptWeightsPerNeuron` weights per neuron,
/// so that each neuron's accumulator stays within `accumulatorBits` bits and its lookup needs
/// no rounding. In FHE: one lookup per hidden neuron (its ReLU and requantization); the client
/// decrypts the output accumulators and takes their softmax.
public final class NeuralNetClassifier: FHEClassifier {
    public let hiddenLayers: [Int]
    public let weightBits: Int
    public let activationBits: Int
    /// The accumulator width pruning aims at (the widest lookup without rounding by default).
    public var accumulatorBits = Limits.maximumLookupBitWidth
    public var epochs = 80
    public var learningRate = 0.005
    public var batchSize = 32
    /// The seed of the initial weights and the batches: the same seed trains the same network.
    public var seed: UInt64 = 0
    public var roundingThresholdBits: Int?
    public private(set) var classCount = 0
    public private(set) var compiledModel: CompiledModel?
    private var trained: QuantizationAwareMLP?
    private var inputQuantizers: [Quantizer] = []

    public init(hiddenLayers: [Int] = [32], weightBits: Int = 3, activationBits: Int = 3) {
        self.hiddenLayers = hiddenLayers
        self.weightBits = weightBits
        self.activationBits = activationBits
    }

    /// The weights each neuron keeps: its accumulator, Σ of `kept` products of a weight of
    /// magnitude ≤ 2^(weightBits−1) − 1 and an input of magnitude ≤ 2^activationBits − 1,
    /// stays within a signed `accumulatorBits`-bit value.
    public var keptWeightsPerNeuron: Int {
        let product = ((1 << (weightBits - 1)) - 1) * ((1 << activationBits) - 1)
        return max(1, ((1 << (accumulatorBits - 1)) - 1) / max(product, 1))
    }

    public func fit(_ rows: [[Double]], _ labels: [Int]) throws {
        let features = try TrainingData.featureCount(rows)
        classCount = try TrainingData.classCount(labels, rows: rows.count)
        guard (2...8).contains(weightBits), (2...8).contains(activationBits) else {
            throw MLError.invalidParameter("weightBits and activationBits must be 2…8, got \(weightBits) and \(activationBits)")
        }
        guard !hiddenLayers.isEmpty, hiddenLayers.allSatisfy({ (1...4096).contains($0) }) else {
            throw MLError.invalidParameter("hiddenLayers needs at least one layer of 1…4096 neurons, got \(hiddenLayers)")
        }
        guard epochs >= 1, batchSize >= 1, learningRate > 0, learningRate.isFinite, (2...16).contains(accumulatorBits) else {
            throw MLError.invalidParameter("epochs and batchSize must be ≥ 1, learningRate > 0 and accumulatorBits 2…16")
        }
        inputQuantizers = try (0..<features).map { j in try Quantizer(calibratingOn: rows.map { $0[j] }, bits: activationBits) }
        var network = QuantizationAwareMLP(sizes: [features] + hiddenLayers + [classCount], weightBits: weightBits,
                                           activationBits: activationBits, seed: seed)
        network.train(rows.map(centred), labels, epochs: epochs, learningRate: learningRate, batchSize: batchSize,
                      keep: keptWeightsPerNeuron < features || hiddenLayers.contains { $0 > keptWeightsPerNeuron } ? keptWeightsPerNeuron : nil,
                      seed: seed)
        trained = network
        compiledModel = nil
    }

    /// The row as the network reads it: each feature's quantized integer minus its zero point.
    private func centred(_ row: [Double]) -> [Double] {
        zip(row, inputQuantizers).map { Double($1.quantize($0) - $1.zeroPoint) }
    }

    /// The trained (fake-quantized) network's probabilities.
    public func floatProbabilities(_ rows: [[Double]]) throws -> [[Double]] {
        guard let trained else { throw MLError.notReady("fit the model first: model.fit(rows, labels)") }
        return rows.map { trained.probabilities(centred($0)) }
    }

    /// Compiles the trained network; its input quantizers are the ones of `fit`.
    public func compile(_ rows: [[Double]], configuration: Configuration) throws {
        guard let trained else { throw MLError.notReady("fit the model first: model.fit(rows, labels)") }
        var nodes = [NetworkNode](), input = "x"
        for l in 0..<trained.layers {
            // The first layer reads reals s_j·(q_j − z_j): its weights are divided by the scales,
            // which quantization folds back in, onto the trained integer weights.
            let quantized = trained.quantizedWeights(l), outputs = trained.sizes[l + 1]
            let real = l == 0 ? quantized.indices.map { quantized[$0] / inputQuantizers[$0 / outputs].scale } : quantized
            nodes.append(NetworkNode(name: "dense \(l + 1)", operation: .dense(weights: RealTensor(shape: [trained.sizes[l], outputs], values: real),
                                                                             bias: trained.biases[l], grid: trained.weightStep(l)),
                                     inputs: [input], output: "z\(l + 1)"))
            input = "z\(l + 1)"
            if l < trained.layers - 1 {
                nodes.append(NetworkNode(name: "relu \(l + 1)", operation: .activation(.relu), inputs: [input], output: "r\(l + 1)"))
                nodes.append(NetworkNode(name: "quantize \(l + 1)", operation: .activation(.fakeQuantize(trained.activationQuantization(l))),
                                         inputs: ["r\(l + 1)"], output: "a\(l + 1)"))
                input = "a\(l + 1)"
            }
        }
        let network = Network(inputName: "x", inputShape: [trained.sizes[0]], nodes: nodes, output: input, postProcessing: .softmax)
        var quantization = NetworkQuantization(network: network, bits: activationBits, roundingThresholdBits: roundingThresholdBits,
                                               rows: rows, inputQuantizers: inputQuantizers)
        compiledModel = try CompiledModel(try quantization.integerModel(), calibration: rows, configuration: configuration)
    }
}
