import FHECompiler
import FHEParameters
import Foundation

/// Gradient boosting on the logistic loss (scikit-learn's GradientBoostingClassifier): from the
/// log-odds of the priors, each stage fits one regression tree per score (one for two classes,
/// one per class otherwise) to the loss's negative gradient, sets each leaf to its Newton step
/// (Σ residual / Σ p(1 − p), times (K − 1)/K for K classes) and adds it times the learning rate.
/// In FHE every tree's leaf values are quantized by one quantizer and summed in the circuit; the
/// client adds the initial scores and applies the sigmoid or softmax.
public final class GradientBoostingClassifier: FHEClassifier {
    public let trees: Int
    public let maxDepth: Int
    public let nBits: Int
    public let learningRate: Double
    /// The stages' trees, and the score each adds to.
    public private(set) var ensemble: [DecisionTree] = []
    public private(set) var treeScores: [Int] = []
    /// The initial scores (log-odds or log-priors).
    public private(set) var initialScores: [Double] = []
    public private(set) var classCount = 0
    public private(set) var compiledModel: CompiledModel?
    /// The input quantizers of `fit` (nil for an ensemble trained elsewhere: calibrated by `compile`).
    private var fittedQuantizers: [Quantizer]?
    /// The bits each split's comparison reads after exact rounding (Concrete ML's
    /// `rounding_threshold_bits`); nil lets `compile` pick the cheapest. Set it before `compile`.
    public var roundingThresholdBits: Int?

    public init(trees: Int = 10, maxDepth: Int = 3, nBits: Int = 6, learningRate: Double = 0.1) {
        self.trees = trees
        self.maxDepth = maxDepth
        self.nBits = nBits
        self.learningRate = learningRate
    }

    /// An ensemble trained elsewhere: each tree's leaves hold one value (already times the learning
    /// rate), added to score `treeScores[t]`; one score for two classes, one per class otherwise.
    /// - Throws: `MLError.invalidParameter` for counts that do not agree.
    public init(ensemble: [DecisionTree], treeScores: [Int], initialScores: [Double], nBits: Int = 6) throws {
        let scores = initialScores.count
        guard !ensemble.isEmpty, treeScores.count == ensemble.count, treeScores.allSatisfy({ (0..<scores).contains($0) }),
              ensemble.allSatisfy({ $0.nodes.allSatisfy { $0.feature != nil || $0.value.count == 1 } }) else {
            throw MLError.invalidParameter("give one score index per tree, leaves of one value, and one initial score per score")
        }
        self.ensemble = ensemble
        self.treeScores = treeScores
        self.initialScores = initialScores
        classCount = scores == 1 ? 2 : scores
        trees = ensemble.count
        maxDepth = ensemble.map(\.depth).max() ?? 0
        self.nBits = nBits
        learningRate = 1
    }

    private var scoreCount: Int { classCount == 2 ? 1 : classCount }
    private var postProcessing: OutputDecoding.PostProcessing { classCount == 2 ? .sigmoid : .softmax }

    public func fit(_ rows: [[Double]], _ labels: [Int]) throws {
        _ = try TrainingData.featureCount(rows)
        classCount = try TrainingData.classCount(labels, rows: rows.count)
        guard trees >= 1, maxDepth >= 1, learningRate > 0, learningRate.isFinite else {
            throw MLError.invalidParameter("trees and maxDepth must be ≥ 1 and the learning rate positive")
        }
        let quantizers = try TreeInputs.quantizers(rows, bits: nBits), grid = TreeInputs.onGrid(rows, quantizers)
        let k = scoreCount, count = Double(rows.count)
        let priors = (0..<classCount).map { c in Double(labels.count { $0 == c }) / count }
        initialScores = k == 1 ? [log(priors[1] / priors[0])] : priors.map { log(max($0, 1e-12)) }
        var scores = rows.map { _ in initialScores }
        let cart = CART(criterion: .squaredError, maxDepth: maxDepth, minSamplesLeaf: 1, maxFeatures: nil)
        var generator = SeededGenerator(seed: 0)
        ensemble = []
        treeScores = []
        for _ in 0..<trees {
            let probabilities = scores.map { postProcessing.apply($0) }
            for score in 0..<k {
                let target = k == 1 ? 1 : score   // the class whose probability this score drives
                let residuals = labels.indices.map { (labels[$0] == target ? 1 : 0) - probabilities[$0][target] }
                let fitted = cart.fit(grid, .values(residuals), generator: &generator)
                let tree = newtonLeaves(fitted, rows: grid, residuals: residuals)
                for i in grid.indices { scores[i][score] += tree.predict(grid[i])[0] }
                ensemble.append(tree)
                treeScores.append(score)
            }
        }
        fittedQuantizers = quantizers
        compiledModel = nil
    }

    /// The tree with each leaf set to its Newton step, times the learning rate.
    private func newtonLeaves(_ tree: DecisionTree, rows: [[Double]], residuals: [Double]) -> DecisionTree {
        var numerators = [Int: Double](), denominators = [Int: Double]()
        for (row, residual) in zip(rows, residuals) {
            let leaf = tree.leaf(for: row), magnitude = abs(residual)
            numerators[leaf, default: 0] += residual
            denominators[leaf, default: 0] += magnitude * (1 - magnitude)
        }
        let factor = scoreCount == 1 ? 1 : Double(classCount - 1) / Double(classCount)
        let nodes = tree.nodes.indices.map { index -> DecisionTree.Node in
            let node = tree.nodes[index]
            guard node.feature == nil else { return node }
            let denominator = denominators[index] ?? 0
            let step = denominator < 1e-150 ? 0 : factor * (numerators[index] ?? 0) / denominator
            return .leaf([learningRate * step])
        }
        return try! DecisionTree(nodes: nodes)   // the same tree, new leaf values
    }

    public func floatProbabilities(_ rows: [[Double]]) throws -> [[Double]] {
        guard !ensemble.isEmpty else { throw MLError.notReady("fit the model first: model.fit(rows, labels)") }
        return rows.map { row in
            var scores = initialScores
            for (tree, score) in zip(ensemble, treeScores) { scores[score] += tree.predict(row)[0] }
            return postProcessing.apply(scores)
        }
    }

    public func compile(_ rows: [[Double]], configuration: Configuration) throws {
        guard !ensemble.isEmpty else { throw MLError.notReady("fit the model first: model.fit(rows, labels)") }
        let inputs = try TreeInputs.quantizers(fitted: fittedQuantizers, calibration: rows, bits: nBits)
        let models = try TreeValues.integerModels(trees: ensemble, treeOutputs: treeScores, outputs: scoreCount, biases: initialScores,
                                                bits: nBits, inputs: inputs, thresholdBits: roundingThresholdBits,
                                                postProcessing: postProcessing)
        compiledModel = try CompiledModel.cheapest(models, calibration: rows, configuration: configuration)
    }
}
