import FHECompiler
import FHEParameters
import Foundation

/// Class-fraction leaves, the same for one tree and for forests: the fraction p of class k in a
/// leaf becomes round(p·(2^b − 1)); the sum over T trees decodes with scale 1/((2^b − 1)·T) and
/// is normalised on the client.
enum TreeClassification {
    static func integerModels(trees: [DecisionTree], classes: Int, bits: Int, inputs: [Quantizer],
                              thresholdBits: Int?) throws -> [IntegerModel] {
        let top = Double((1 << bits) - 1)
        // Two classes: q₁ = round(p₁·top) and q₀ = top − q₁, so the circuit reads q₁ only.
        let leafValues = trees.map { tree in
            Dictionary(uniqueKeysWithValues: tree.nodes.indices.filter { tree.nodes[$0].feature == nil }.map { index in
                let fractions = tree.nodes[index].value.map { Int64(($0 * top).rounded()) }
                return (index, classes == 2 ? [Int64(top) - fractions[1], fractions[1]] : fractions)
            })
        }
        let decoding = try OutputDecoding(scales: Array(repeating: 1 / (top * Double(trees.count)), count: classes),
                                          offsets: Array(repeating: 0, count: classes), biases: Array(repeating: 0, count: classes),
                                          postProcessing: .normalize)
        return try TreeEnsembleCircuit.integerModels(trees: trees, inputs: inputs, leafValues: leafValues, decoding: decoding,
                                                     complement: classes == 2 ? Int64(top) : nil, thresholdBits: thresholdBits)
    }
}

/// Real-valued leaves (regression trees, boosting): every leaf value of the ensemble is quantized
/// by one symmetric signed quantizer of `bits`; output k sums the trees of `treeOutputs[t] = k`.
enum TreeValues {
    static func integerModels(trees: [DecisionTree], treeOutputs: [Int], outputs: Int, biases: [Double], bits: Int,
                              inputs: [Quantizer], thresholdBits: Int?,
                              postProcessing: OutputDecoding.PostProcessing) throws -> [IntegerModel] {
        let all = trees.flatMap { $0.nodes.filter { $0.feature == nil }.map { $0.value[0] } }
        let quantizer = try Quantizer(calibratingOn: all, bits: max(bits, 2), isSigned: true, symmetric: true)
        let leafValues = zip(trees, treeOutputs).map { tree, output in
            Dictionary(uniqueKeysWithValues: tree.nodes.indices.filter { tree.nodes[$0].feature == nil }.map { index in
                (index, (0..<outputs).map { $0 == output ? Int64(quantizer.quantize(tree.nodes[index].value[0])) : 0 })
            })
        }
        let decoding = try OutputDecoding(scales: Array(repeating: quantizer.scale, count: outputs),
                                          offsets: Array(repeating: 0, count: outputs), biases: biases, postProcessing: postProcessing)
        return try TreeEnsembleCircuit.integerModels(trees: trees, inputs: inputs, leafValues: leafValues, decoding: decoding,
                                                     thresholdBits: thresholdBits)
    }
}

/// The input quantizers of a tree model, one per feature (unsigned, `bits`), and the grid they
/// put the training rows on. Like Concrete ML, a tree model trains on its quantized inputs: every
/// threshold then falls midway between two quantized values, so the quantized tree takes the same
/// branch as the float one on every input (ties aside) and only the leaf values lose precision.
enum TreeInputs {
    /// Quantizers calibrated on `rows` (min/max per feature).
    static func quantizers(_ rows: [[Double]], bits: Int) throws -> [Quantizer] {
        let features = try TrainingData.featureCount(rows)
        guard (1...Limits.maximumLookupBitWidth).contains(bits) else {
            throw MLError.invalidParameter("nBits must be 1…\(Limits.maximumLookupBitWidth) for trees (each split is a lookup of a feature), got \(bits)")
        }
        return try (0..<features).map { j in try Quantizer(calibratingOn: rows.map { $0[j] }, bits: bits) }
    }

    /// Each value replaced by the real value of its quantized one.
    static func onGrid(_ rows: [[Double]], _ quantizers: [Quantizer]) -> [[Double]] {
        rows.map { row in zip(row, quantizers).map { $1.dequantize($1.quantize($0)) } }
    }

    /// The quantizers of `fitted` (a model's own fit) or, for trees trained elsewhere, calibrated on `rows`.
    static func quantizers(fitted: [Quantizer]?, calibration rows: [[Double]], bits: Int) throws -> [Quantizer] {
        if let fitted { return fitted }
        return try quantizers(rows, bits: bits)
    }
}

/// CART classification tree (Gini or entropy). In FHE: one lookup per split and per leaf.
public final class DecisionTreeClassifier: FHEClassifier {
    public let maxDepth: Int
    public let nBits: Int
    public let minSamplesLeaf: Int
    public let useEntropy: Bool
    public private(set) var tree: DecisionTree?
    public private(set) var classCount = 0
    public private(set) var compiledModel: CompiledModel?
    /// The input quantizers of `fit` (nil for a tree trained elsewhere: calibrated by `compile`).
    private var fittedQuantizers: [Quantizer]?
    /// The bits each split's comparison reads after exact rounding (Concrete ML's
    /// `rounding_threshold_bits`); nil lets `compile` pick the cheapest. Set it before `compile`.
    public var roundingThresholdBits: Int?

    public init(maxDepth: Int = 5, nBits: Int = 6, minSamplesLeaf: Int = 1, useEntropy: Bool = false) {
        self.maxDepth = maxDepth
        self.nBits = nBits
        self.minSamplesLeaf = minSamplesLeaf
        self.useEntropy = useEntropy
    }

    /// A tree trained elsewhere; its leaves hold class fractions.
    public init(tree: DecisionTree, nBits: Int = 6) {
        self.tree = tree
        maxDepth = tree.depth
        self.nBits = nBits
        minSamplesLeaf = 1
        useEntropy = false
        classCount = tree.nodes.first { $0.feature == nil }!.value.count
    }

    public func fit(_ rows: [[Double]], _ labels: [Int]) throws {
        _ = try TrainingData.featureCount(rows)
        classCount = try TrainingData.classCount(labels, rows: rows.count)
        guard maxDepth >= 1, minSamplesLeaf >= 1 else { throw MLError.invalidParameter("maxDepth and minSamplesLeaf must be ≥ 1") }
        let quantizers = try TreeInputs.quantizers(rows, bits: nBits)
        var generator = SeededGenerator(seed: 0)
        tree = CART(criterion: useEntropy ? .entropy : .gini, maxDepth: maxDepth, minSamplesLeaf: minSamplesLeaf, maxFeatures: nil)
            .fit(TreeInputs.onGrid(rows, quantizers), .classes(labels, count: classCount), generator: &generator)
        fittedQuantizers = quantizers
        compiledModel = nil
    }

    public func floatProbabilities(_ rows: [[Double]]) throws -> [[Double]] {
        guard let tree else { throw MLError.notReady("fit the model first: model.fit(rows, labels)") }
        return rows.map(tree.predict)
    }

    public func compile(_ rows: [[Double]], configuration: Configuration) throws {
        guard let tree else { throw MLError.notReady("fit the model first: model.fit(rows, labels)") }
        let inputs = try TreeInputs.quantizers(fitted: fittedQuantizers, calibration: rows, bits: nBits)
        let models = try TreeClassification.integerModels(trees: [tree], classes: classCount, bits: nBits, inputs: inputs,
                                                          thresholdBits: roundingThresholdBits)
        compiledModel = try CompiledModel.cheapest(models, calibration: rows, configuration: configuration)
    }
}

/// CART regression tree (squared error). In FHE: one lookup per split and per leaf.
public final class DecisionTreeRegressor: FHERegressor {
    public let maxDepth: Int
    public let nBits: Int
    public let minSamplesLeaf: Int
    public private(set) var tree: DecisionTree?
    public private(set) var compiledModel: CompiledModel?
    /// The input quantizers of `fit` (nil for a tree trained elsewhere: calibrated by `compile`).
    private var fittedQuantizers: [Quantizer]?
    /// The bits each split's comparison reads after exact rounding (Concrete ML's
    /// `rounding_threshold_bits`); nil lets `compile` pick the cheapest. Set it before `compile`.
    public var roundingThresholdBits: Int?

    public init(maxDepth: Int = 5, nBits: Int = 6, minSamplesLeaf: Int = 1) {
        self.maxDepth = maxDepth
        self.nBits = nBits
        self.minSamplesLeaf = minSamplesLeaf
    }

    /// A tree trained elsewhere; each leaf holds one value.
    public init(tree: DecisionTree, nBits: Int = 6) {
        self.tree = tree
        maxDepth = tree.depth
        self.nBits = nBits
        minSamplesLeaf = 1
    }

    public func fit(_ rows: [[Double]], _ targets: [Double]) throws {
        _ = try TrainingData.featureCount(rows)
        try TrainingData.checkTargets(targets, rows: rows.count)
        guard maxDepth >= 1, minSamplesLeaf >= 1 else { throw MLError.invalidParameter("maxDepth and minSamplesLeaf must be ≥ 1") }
        let quantizers = try TreeInputs.quantizers(rows, bits: nBits)
        var generator = SeededGenerator(seed: 0)
        tree = CART(criterion: .squaredError, maxDepth: maxDepth, minSamplesLeaf: minSamplesLeaf, maxFeatures: nil)
            .fit(TreeInputs.onGrid(rows, quantizers), .values(targets), generator: &generator)
        fittedQuantizers = quantizers
        compiledModel = nil
    }

    public func floatPredictions(_ rows: [[Double]]) throws -> [Double] {
        guard let tree else { throw MLError.notReady("fit the model first: model.fit(rows, targets)") }
        return rows.map { tree.predict($0)[0] }
    }

    public func compile(_ rows: [[Double]], configuration: Configuration) throws {
        guard let tree else { throw MLError.notReady("fit the model first: model.fit(rows, targets)") }
        let inputs = try TreeInputs.quantizers(fitted: fittedQuantizers, calibration: rows, bits: nBits)
        let models = try TreeValues.integerModels(trees: [tree], treeOutputs: [0], outputs: 1, biases: [0], bits: nBits,
                                                inputs: inputs, thresholdBits: roundingThresholdBits, postProcessing: .identity)
        compiledModel = try CompiledModel.cheapest(models, calibration: rows, configuration: configuration)
    }
}

/// A random forest of CART classification trees: each on a bootstrap sample, with √features
/// candidate features per split, drawn from `seed`; the class fractions are averaged. In FHE the
/// trees' leaf values are summed in the circuit (levelled, no PBS), so the client decrypts one
/// score per class.
public final class RandomForestClassifier: FHEClassifier {
    public let trees: Int
    public let maxDepth: Int
    public let nBits: Int
    public let seed: UInt64
    public private(set) var forest: [DecisionTree] = []
    public private(set) var classCount = 0
    public private(set) var compiledModel: CompiledModel?
    /// The input quantizers of `fit` (nil for a forest trained elsewhere: calibrated by `compile`).
    private var fittedQuantizers: [Quantizer]?
    /// The bits each split's comparison reads after exact rounding (Concrete ML's
    /// `rounding_threshold_bits`); nil lets `compile` pick the cheapest. Set it before `compile`.
    public var roundingThresholdBits: Int?

    public init(trees: Int = 10, maxDepth: Int = 4, nBits: Int = 6, seed: UInt64 = 0) {
        self.trees = trees
        self.maxDepth = maxDepth
        self.nBits = nBits
        self.seed = seed
    }

    /// A forest trained elsewhere; its leaves hold class fractions.
    public init(forest: [DecisionTree], nBits: Int = 6) {
        self.forest = forest
        trees = forest.count
        maxDepth = forest.map(\.depth).max() ?? 0
        self.nBits = nBits
        seed = 0
        classCount = forest.first?.nodes.first { $0.feature == nil }?.value.count ?? 0
    }

    public func fit(_ rows: [[Double]], _ labels: [Int]) throws {
        let features = try TrainingData.featureCount(rows)
        classCount = try TrainingData.classCount(labels, rows: rows.count)
        guard trees >= 1, maxDepth >= 1 else { throw MLError.invalidParameter("trees and maxDepth must be ≥ 1") }
        let quantizers = try TreeInputs.quantizers(rows, bits: nBits), grid = TreeInputs.onGrid(rows, quantizers)
        var generator = SeededGenerator(seed: seed)
        let cart = CART(criterion: .gini, maxDepth: maxDepth, minSamplesLeaf: 1,
                        maxFeatures: max(1, Int(Double(features).squareRoot().rounded())))
        forest = (0..<trees).map { _ in
            let sample = (0..<rows.count).map { _ in Int.random(in: 0..<rows.count, using: &generator) }
            return cart.fit(sample.map { grid[$0] }, .classes(sample.map { labels[$0] }, count: classCount), generator: &generator)
        }
        fittedQuantizers = quantizers
        compiledModel = nil
    }

    public func floatProbabilities(_ rows: [[Double]]) throws -> [[Double]] {
        guard !forest.isEmpty else { throw MLError.notReady("fit the model first: model.fit(rows, labels)") }
        return rows.map { row in
            let sums = forest.reduce([Double](repeating: 0, count: classCount)) { sums, tree in zip(sums, tree.predict(row)).map(+) }
            return sums.map { $0 / Double(forest.count) }
        }
    }

    public func compile(_ rows: [[Double]], configuration: Configuration) throws {
        guard !forest.isEmpty else { throw MLError.notReady("fit the model first: model.fit(rows, labels)") }
        let inputs = try TreeInputs.quantizers(fitted: fittedQuantizers, calibration: rows, bits: nBits)
        let models = try TreeClassification.integerModels(trees: forest, classes: classCount, bits: nBits, inputs: inputs,
                                                          thresholdBits: roundingThresholdBits)
        compiledModel = try CompiledModel.cheapest(models, calibration: rows, configuration: configuration)
    }
}
