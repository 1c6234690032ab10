// MLBenchmarks: the models of FHEML on the bundled datasets (issue 12's anchors), with
// google/swift-benchmark for the per-sample FHE latency. Run with `make bench`; the figures are
// in Benchmarks/README.md. Splits: 80/20, stratified, seed 0, standardised on the training part.
import Benchmark
import FHE
import Foundation

struct Case {
    let name: String
    let model: any FHEClassifier
    let dataset: Dataset
    /// Whether to time FHE (the digits models are measured in the clear only).
    let timed: Bool
}

let cases = try [
    Case(name: "LogisticRegression(nBits: 8), breast cancer", model: LogisticRegression(nBits: 8), dataset: .breastCancer(), timed: true),
    Case(name: "DecisionTreeClassifier(maxDepth: 4, nBits: 6), breast cancer", model: DecisionTreeClassifier(maxDepth: 4, nBits: 6),
         dataset: .breastCancer(), timed: true),
    Case(name: "RandomForestClassifier(trees: 10, maxDepth: 4, nBits: 6), wine",
         model: RandomForestClassifier(trees: 10, maxDepth: 4, nBits: 6), dataset: .wine(), timed: true),
    Case(name: "GradientBoostingClassifier(trees: 10, maxDepth: 3, nBits: 6), wine",
         model: GradientBoostingClassifier(trees: 10, maxDepth: 3, nBits: 6), dataset: .wine(), timed: true),
    Case(name: "NeuralNetClassifier(hiddenLayers: [16], weightBits: 3, activationBits: 3), breast cancer",
         model: NeuralNetClassifier(hiddenLayers: [16], weightBits: 3, activationBits: 3), dataset: .breastCancer(), timed: true),
    Case(name: "RandomForestClassifier(trees: 10, maxDepth: 6, nBits: 6), digits",
         model: RandomForestClassifier(trees: 10, maxDepth: 6, nBits: 6), dataset: .digits(), timed: false),
]

/// swift-benchmark's `--filter REGEX` also selects the models to train and report.
let selected: [Case] = try {
    let arguments = CommandLine.arguments
    guard let flag = arguments.firstIndex(of: "--filter"), flag + 1 < arguments.count else { return cases }
    let pattern = try Regex(arguments[flag + 1])
    return cases.filter { $0.name.contains(pattern) }
}()

func accuracy(_ predicted: [Int], _ labels: [Int]) -> String {
    String(format: "%.1f %%", 100 * Double(zip(predicted, labels).count { $0 == $1 }) / Double(labels.count))
}

print("| model | float | quantized | simulate | FHE (first 2) | PBS | parameters | evaluation keys (wire) |")
print("|---|---|---|---|---|---|---|---|")
for item in selected {
    let (train, test) = item.dataset.split(testFraction: 0.2, seed: 0)
    let scaler = try Standardizer(fittedOn: train.rows)
    let (rows, testRows) = (scaler.transform(train.rows), scaler.transform(test.rows))
    try item.model.fit(rows, train.labels)
    try item.model.compile(rows)
    let statistics = item.model.circuit!.statistics
    let quantized = try item.model.predict(testRows), simulated = try item.model.predict(testRows, fhe: .simulate)
    var encrypted = "—"
    if item.timed {
        let sample = Array(testRows.prefix(2))
        encrypted = try item.model.predict(sample, fhe: .execute) == Array(quantized.prefix(2)) ? "= quantized" : "differs"
        let heavy = statistics.programmableBootstrapCount > 50
        benchmark("\(item.name): one sample in FHE", settings: Iterations(heavy ? 2 : 10)) {
            _ = try item.model.predict([testRows[0]], fhe: .execute)
        }
    }
    let keys = Double(statistics.bootstrapKeyWireBytes + statistics.keySwitchKeyWireBytes) / 1e6
    let p = statistics.parameters
    print("| \(item.name) | \(accuracy(try item.model.predictFloat(testRows), test.labels)) | \(accuracy(quantized, test.labels)) | "
        + "\(accuracy(simulated, test.labels)) | \(encrypted) | \(statistics.programmableBootstrapCount) | n=\(p.lweDimension) k=\(p.glweDimension) "
        + "N=\(p.polynomialSize) | \(String(format: "%.1f MB", keys)) |")
}

// Networks from ONNX (issue 13's anchors): the fixtures of FHEMLTests, one sample per FHE call.
struct NetworkCase {
    let name: String
    let file: String
    let rows: (train: [[Double]], test: [[Double]], testLabels: [Int])
    let nBits: Int
    let roundingThresholdBits: Int
    var exactness = RoundingExactness.exact
}

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Tests/FHEMLTests/Fixtures/ONNX")
let cancer = try Dataset.breastCancer().split(testFraction: 0.2, seed: 0)
let digits = try Dataset.digits().split(testFraction: 0.2, seed: 0)
let networks = [
    NetworkCase(name: "torch MLP 30→32→2, breast cancer", file: "mlp_breast_cancer.onnx",
                rows: (cancer.train.rows, cancer.test.rows, cancer.test.labels), nBits: 6, roundingThresholdBits: 6),
    NetworkCase(name: "torch CNN (conv 3×3 ×4, relu, avg pool 2, dense 36→10), digits", file: "cnn_digits.onnx",
                rows: (digits.train.rows.map { $0.map { $0 / 16 } }, digits.test.rows.map { $0.map { $0 / 16 } }, digits.test.labels),
                nBits: 6, roundingThresholdBits: 6),
    NetworkCase(name: "torch MLP 30→32→2, breast cancer, approximate rounding", file: "mlp_breast_cancer.onnx",
                rows: (cancer.train.rows, cancer.test.rows, cancer.test.labels), nBits: 6, roundingThresholdBits: 6, exactness: .approximate),
    NetworkCase(name: "torch CNN (conv 3×3 ×4, relu, avg pool 2, dense 36→10), digits, approximate rounding", file: "cnn_digits.onnx",
                rows: (digits.train.rows.map { $0.map { $0 / 16 } }, digits.test.rows.map { $0.map { $0 / 16 } }, digits.test.labels),
                nBits: 6, roundingThresholdBits: 6, exactness: .approximate),
].filter { item in
    let arguments = CommandLine.arguments
    guard let flag = arguments.firstIndex(of: "--filter"), flag + 1 < arguments.count else { return true }
    return (try? item.name.contains(Regex(arguments[flag + 1]))) ?? true
}

func argmax(_ row: [Double]) -> Int { row.indices.max { row[$0] < row[$1] }! }

if !networks.isEmpty {
    print("\n| network | float | simulate | FHE = simulate (first; argmax for approximate rounding) | PBS | parameters | keygen | evaluation keys (wire) |")
    print("|---|---|---|---|---|---|---|---|")
}
for item in networks {
    let onnx = try Data(contentsOf: fixtures.appendingPathComponent(item.file))
    let network = try QuantizedModule(onnx: onnx, inputset: item.rows.train, nBits: item.nBits, roundingThresholdBits: item.roundingThresholdBits,
                                      roundingExactness: item.exactness)
    let float = try network.forwardFloat(item.rows.test).map(argmax), simulated = try network.forward(item.rows.test, fhe: .simulate)
    let start = Date()
    try network.compiledModel!.keygen()
    let keygen = Date().timeIntervalSince(start)
    let first = [item.rows.test[0]]
    let encrypted = try network.forward(first, fhe: .execute)
    let equal = item.exactness == .exact ? (encrypted == [simulated[0]] ? "yes" : "differs")
        : (argmax(encrypted[0]) == argmax(simulated[0]) ? "argmax yes" : "argmax differs")
    benchmark("\(item.name): one sample in FHE", settings: Iterations(2)) { _ = try network.forward(first, fhe: .execute) }
    let statistics = network.circuit!.statistics, p = statistics.parameters
    let keys = Double(statistics.bootstrapKeyWireBytes + statistics.keySwitchKeyWireBytes) / 1e6
    print("| \(item.name), nBits \(item.nBits), rounding \(item.roundingThresholdBits) | \(accuracy(float, item.rows.testLabels)) | "
        + "\(accuracy(simulated.map(argmax), item.rows.testLabels)) | \(equal) | \(statistics.programmableBootstrapCount) | "
        + "n=\(p.lweDimension) k=\(p.glweDimension) N=\(p.polynomialSize) | \(String(format: "%.1f s", keygen)) | \(String(format: "%.1f MB", keys)) |")
}
Benchmark.main()
