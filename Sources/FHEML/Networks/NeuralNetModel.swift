import FHECompiler
import FHEParameters
import Foundation

/// What `NeuralNetClassifier` and `NeuralNetRegressor` share (Concrete ML's built-in networks): a
/// multilayer perceptron trained in Swift with quantization-aware training and pruning, weights of
/// `weightBits` bits, inputs and ReLU activations of `activationBits` bits, and at most
/// `keptWeightsPerNeuron` weights per neuron, so that each neuron's accumulator stays within
/// `accumulatorBits` bits and its lookup needs no rounding. In FHE: one lookup per hidden neuron
/// (its ReLU and requantization); the client decrypts the output accumulators.
public class NeuralNetModel {
    public let hiddenLayers: [Int]
    public let weightBits: Int
    public let activationBits: Int
    /// The accumulator width pruning aims at (by default the widest lookup whose keys stay
    /// small, `Limits.defaultLookupBitWidth`).
    public var accumulatorBits = Limits.defaultLookupBitWidth
    public var epochs = 80
    public var learningRate = 0.005
    public var batchSize = 32
    /// The seed of the initial weights and the batches: the same seed trains the same network.
    public var seed: UInt64 = 0
    public var roundingThresholdBits: Int?
    public private(set) var compiledModel: CompiledModel?
    var trained: QuantizationAwareMLP?
    private var inputQuantizers: [Quantizer] = []

    init(hiddenLayers: [Int], weightBits: Int, activationBits: Int) {
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

    /// Checks the settings, calibrates the input quantizers and trains `outputs` outputs on `loss`.
    func train(_ rows: [[Double]], outputs: Int, loss: QuantizationAwareMLP.Loss) throws {
        let features = try TrainingData.featureCount(rows)
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
        var network = QuantizationAwareMLP(sizes: [features] + hiddenLayers + [outputs], weightBits: weightBits,
                                           activationBits: activationBits, seed: seed)
        let prunes = keptWeightsPerNeuron < features || hiddenLayers.contains { $0 > keptWeightsPerNeuron }
        network.train(rows.map(centred), loss, epochs: epochs, learningRate: learningRate, batchSize: batchSize,
                      keep: prunes ? keptWeightsPerNeuron : nil, seed: seed)
        trained = network
        compiledModel = nil
    }

    /// The trained network's output layer for each row.
    func trainedOutputs(_ rows: [[Double]]) throws -> [[Double]] {
        guard let trained else { throw MLError.notReady("fit the model first: model.fit(rows, targets)") }
        return rows.map { trained.outputs(centred($0)) }
    }

    /// The row as the network reads it: each feature's quantized integer minus its zero point.
    private func centred(_ row: [Double]) -> [Double] {
        zip(row, inputQuantizers).map { Double($1.quantize($0) - $1.zeroPoint) }
    }

    /// Compiles the trained network, its outputs scaled and shifted, with the input quantizers of `fit`.
    func compile(_ rows: [[Double]], configuration: Configuration, postProcessing: OutputDecoding.PostProcessing,
                 outputScale: Double = 1, outputShift: Double = 0) throws {
        guard let trained else { throw MLError.notReady("fit the model first: model.fit(rows, targets)") }
        let network = trained.network(inputScales: inputQuantizers.map(\.scale), postProcessing: postProcessing,
                                      outputScale: outputScale, outputShift: outputShift)
        var quantization = NetworkQuantization(network: network, bits: activationBits, roundingThresholdBits: roundingThresholdBits,
                                               rows: rows, inputQuantizers: inputQuantizers)
        compiledModel = try CompiledModel(try quantization.integerModel(), calibration: rows, configuration: configuration)
    }
}
