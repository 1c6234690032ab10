import FHEML
import Foundation
import Testing

/// The datasets of the tests, split 80/20 (stratified, seed 0) and standardised on the training part.
enum Splits {
    struct Split: Sendable {
        let train: [[Double]], trainLabels: [Int], test: [[Double]], testLabels: [Int]
    }

    static func standardised(_ dataset: Dataset) -> Split {
        let (train, test) = dataset.split(testFraction: 0.2, seed: 0)
        let scaler = try! Standardizer(fittedOn: train.rows)
        return Split(train: scaler.transform(train.rows), trainLabels: train.labels, test: scaler.transform(test.rows),
                     testLabels: test.labels)
    }

    static let breastCancer = standardised(try! Dataset.breastCancer())
    static let wine = standardised(try! Dataset.wine())
    static let iris = standardised(try! Dataset.iris())

    static func accuracy(_ predicted: [Int], _ labels: [Int]) -> Double {
        Double(zip(predicted, labels).count { $0 == $1 }) / Double(labels.count)
    }
}

@Suite("Models in three modes")
struct ModelTests {
    /// `disable` equals `simulate` on every test row, and `execute` on the first `encrypted` rows.
    static func checkModes(_ model: some FHEClassifier, _ split: Splits.Split, encrypted: Int) throws -> [Int] {
        let clear = try model.predictProbabilities(split.test, fhe: .disable)
        #expect(try model.predictProbabilities(split.test, fhe: .simulate) == clear)
        let rows = Array(split.test.prefix(encrypted))
        #expect(try model.predictProbabilities(rows, fhe: .execute) == Array(clear.prefix(encrypted)))
        return clear.map { row in row.indices.max { row[$0] < row[$1] }! }
    }

    /// Fits, compiles and checks the modes; returns the quantized and float test accuracies.
    static func accuracies(_ model: some FHEClassifier, _ split: Splits.Split, encrypted: Int) throws -> (Double, Double) {
        try model.fit(split.train, split.trainLabels)
        try model.compile(split.train)
        let predicted = try checkModes(model, split, encrypted: encrypted)
        return (Splits.accuracy(predicted, split.testLabels), Splits.accuracy(try model.predictFloat(split.test), split.testLabels))
    }

    @Test("logistic regression on breast cancer: ≥ 96 % quantized, within 1 point of float, no PBS, FHE = clear")
    func logistic() throws {
        let model = LogisticRegression(nBits: 8)
        let (quantized, float) = try Self.accuracies(model, Splits.breastCancer, encrypted: 20)
        #expect(model.circuit?.statistics.programmableBootstrapCount == 0)
        #expect(quantized >= 0.96 && abs(quantized - float) <= 0.01, "quantized \(quantized), float \(float)")
    }

    // On this split scikit-learn's tree of depth 4 scores 91.2 %, ours too (trained on its 6-bit inputs).
    @Test("decision tree (depth 4, 6 bits) on breast cancer: ≥ 91 %, within 1 point of float, FHE = clear")
    func tree() throws {
        let (quantized, float) = try Self.accuracies(DecisionTreeClassifier(maxDepth: 4, nBits: 6), Splits.breastCancer, encrypted: 20)
        #expect(quantized >= 0.91 && abs(quantized - float) <= 0.01, "quantized \(quantized), float \(float)")
    }

    // On this split scikit-learn's forests score 91.7 to 97.2 % by seed, ours 94.4 % at seed 0.
    @Test("random forest (10 trees, depth 4, 6 bits) on wine: ≥ 94 %, within 1 point of float, FHE = clear")
    func forest() throws {
        let model = RandomForestClassifier(trees: 10, maxDepth: 4, nBits: 6)
        let (quantized, float) = try Self.accuracies(model, Splits.wine, encrypted: 3)
        #expect(quantized >= 0.94 && abs(quantized - float) <= 0.01, "quantized \(quantized), float \(float)")
    }

    @Test("gradient boosting (10 stages, depth 3, 6 bits) on iris, three classes: FHE = clear")
    func boosting() throws {
        let model = GradientBoostingClassifier(trees: 10, maxDepth: 3, nBits: 6)
        let (quantized, float) = try Self.accuracies(model, Splits.iris, encrypted: 2)
        #expect(quantized >= 0.9 && abs(quantized - float) <= 0.04, "quantized \(quantized), float \(float)")
    }

    @Test("a tree's comparisons rounded by a fixed number of bits stay exact; a threshold outside 1…nBits + 1 is refused")
    func roundedComparisons() throws {
        var probabilities = [[[Double]]](), bootstraps = [Int]()
        for bits in [7, 5, 3] {   // no rounding, then 2 and 4 bits removed before each comparison
            let model = DecisionTreeClassifier(maxDepth: 3, nBits: 6)
            model.roundingThresholdBits = bits
            let (quantized, _) = try Self.accuracies(model, Splits.iris, encrypted: 3)
            #expect(quantized >= 0.9)
            probabilities.append(try model.predictProbabilities(Splits.iris.test))
            bootstraps.append(model.circuit?.statistics.programmableBootstrapCount ?? 0)
        }
        #expect(probabilities.allSatisfy { $0 == probabilities[0] }, "rounding changed a prediction")
        #expect(bootstraps[1] > bootstraps[0] && bootstraps[2] > bootstraps[0], "the rounding steps are missing: \(bootstraps)")
        let model = DecisionTreeClassifier(maxDepth: 3, nBits: 6)
        model.roundingThresholdBits = 0
        try model.fit(Splits.iris.train, Splits.iris.trainLabels)
        #expect(throws: MLError.self) { try model.compile(Splits.iris.train) }
    }

    @Test("regressors: least squares and a regression tree on iris's petal width, FHE = clear")
    func regressors() throws {
        let rows = Splits.iris.train.map { Array($0.prefix(3)) }, targets = Splits.iris.train.map { $0[3] }
        let test = Splits.iris.test.map { Array($0.prefix(3)) }
        let linear = LinearRegression(nBits: 8), tree = DecisionTreeRegressor(maxDepth: 3, nBits: 6)
        try linear.fit(rows, targets)
        try tree.fit(rows, targets)
        for model in [linear, tree] as [any FHERegressor] {
            try model.compile(rows)
            let clear = try model.predict(test, fhe: .disable)
            #expect(try model.predict(test, fhe: .simulate) == clear)
            #expect(try model.predict(Array(test.prefix(3)), fhe: .execute) == Array(clear.prefix(3)))
            // On the rows the quantizers were calibrated on (no clipping), only the quantized weights
            // and leaf values differ: trees train on their quantized inputs and take the same branches.
            let gap = zip(try model.predict(rows, fhe: .disable), try model.predictFloat(rows)).map { abs($0 - $1) }.max()!
            #expect(gap < 0.05, "largest gap to the float model \(gap) (the target, standardised petal width, spans about 3.3)")
        }
    }
}
