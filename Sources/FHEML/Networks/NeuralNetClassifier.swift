import FHECompiler
import Foundation

/// A classifier MLP trained in Swift (`NeuralNetModel`), softmax cross-entropy; the client takes
/// the softmax of the decrypted output accumulators.
public final class NeuralNetClassifier: NeuralNetModel, FHEClassifier {
    public private(set) var classCount = 0

    public override init(hiddenLayers: [Int] = [32], weightBits: Int = 3, activationBits: Int = 3) {
        super.init(hiddenLayers: hiddenLayers, weightBits: weightBits, activationBits: activationBits)
    }

    public func fit(_ rows: [[Double]], _ labels: [Int]) throws {
        _ = try TrainingData.featureCount(rows)
        classCount = try TrainingData.classCount(labels, rows: rows.count)
        try train(rows, outputs: classCount, loss: .crossEntropy(labels))
    }

    /// The trained (fake-quantized) network's probabilities.
    public func floatProbabilities(_ rows: [[Double]]) throws -> [[Double]] { try trainedOutputs(rows).map(softmax) }

    /// Compiles the trained network; its input quantizers are the ones of `fit`.
    public func compile(_ rows: [[Double]], configuration: Configuration) throws {
        try compile(rows, configuration: configuration, postProcessing: .softmax)
    }
}

/// A regressor MLP trained in Swift (`NeuralNetModel`) on standardised targets, squared error;
/// the target's mean and spread are folded into the output layer, so the client's decoding gives
/// the prediction itself.
public final class NeuralNetRegressor: NeuralNetModel, FHERegressor {
    private var targetMean = 0.0, targetSpread = 1.0

    public override init(hiddenLayers: [Int] = [32], weightBits: Int = 3, activationBits: Int = 3) {
        super.init(hiddenLayers: hiddenLayers, weightBits: weightBits, activationBits: activationBits)
    }

    public func fit(_ rows: [[Double]], _ targets: [Double]) throws {
        _ = try TrainingData.featureCount(rows)
        try TrainingData.checkTargets(targets, rows: rows.count)
        targetMean = targets.reduce(0, +) / Double(targets.count)
        let variance = targets.reduce(0) { $0 + ($1 - targetMean) * ($1 - targetMean) } / Double(targets.count)
        targetSpread = variance > 0 ? variance.squareRoot() : 1
        try train(rows, outputs: 1, loss: .squaredError(targets.map { ($0 - targetMean) / targetSpread }))
    }

    /// The trained (fake-quantized) network's predictions.
    public func floatPredictions(_ rows: [[Double]]) throws -> [Double] {
        try trainedOutputs(rows).map { $0[0] * targetSpread + targetMean }
    }

    /// Compiles the trained network; its input quantizers are the ones of `fit`.
    public func compile(_ rows: [[Double]], configuration: Configuration) throws {
        try compile(rows, configuration: configuration, postProcessing: .identity, outputScale: targetSpread, outputShift: targetMean)
    }
}
