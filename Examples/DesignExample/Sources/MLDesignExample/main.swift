// DESIGN.md §7 (models and deployment), as written, on breast cancer (80/20, standardised).
import FHE
import Foundation

let (training, testing) = try Dataset.breastCancer().split(testFraction: 0.2, seed: 0)
let scaler = try Standardizer(fittedOn: training.rows)
let (xTrain, yTrain, xTest) = (scaler.transform(training.rows), training.labels, scaler.transform(testing.rows))

let model = LogisticRegression(nBits: 8)   // also LinearRegression(nBits:), DecisionTreeClassifier(maxDepth:nBits:),
                                           // DecisionTreeRegressor(maxDepth:nBits:), RandomForestClassifier(trees:maxDepth:nBits:),
                                           // GradientBoostingClassifier(trees:maxDepth:nBits:)
try model.fit(xTrain, yTrain)              // trained in Swift, in floating point
try model.compile(xTrain)                  // calibrates the quantizers on these rows, compiles the circuit;
                                           // compile(_:configuration:) takes the compiler's Configuration
let quantized = try model.predict(xTest, fhe: .disable)                 // [Int]: the quantized model, in the clear
let simulated = try model.predict(xTest, fhe: .simulate)                // the virtual library
let encrypted = try model.predict(Array(xTest.prefix(4)), fhe: .execute) // FHE; keys are generated on first use
let scores = try model.predictProbabilities(xTest, fhe: .simulate)      // [[Double]], one row per sample (classifiers)
let pbs = model.circuit?.statistics.programmableBootstrapCount          // the compiled Circuit (nil before compile)

// Deployment: the client quantizes and encrypts, the server runs the circuit, the client decrypts and dequantizes.
let server = try Server(artifact: model.server)                          // ServerArtifact, as in §5
let client = ModelClient(specs: try ModelClientSpecs(serialized: model.clientSpecs.serialized()))
try client.keygen()
let arguments = try client.encrypt(xTest[0])                              // one sample
let result = try server.run(arguments, evaluationKeys: client.evaluationKeys)
let output = try client.decrypt(result)      // [Double]: class probabilities (classifiers) or the value (regressors)

let tree = DecisionTreeRegressor(maxDepth: 3, nBits: 6)
try tree.fit(xTrain, xTrain.map { $0[0] })
try tree.compile(xTrain)
let values: [Double] = try tree.predict(Array(xTest.prefix(2)), fhe: .simulate)

// Neural networks from ONNX (torch.onnx.export, or a QAT export with QuantizeLinear/DequantizeLinear). This MLP
// standardises its raw features inside its graph (the test fixture made by make_onnx.py).
let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../../Tests/FHEMLTests/Fixtures/ONNX/mlp_breast_cancer.onnx").standardized
let network = try QuantizedModule(onnx: try Data(contentsOf: url), inputset: training.rows, nBits: 6, roundingThresholdBits: 6)
let logits = try network.forward(testing.rows, fhe: .simulate)                 // [[Double]], one row of outputs per sample
let networkAccuracy = Double(zip(logits, testing.labels).count { ($0[1] > $0[0] ? 1 : 0) == $1 }) / Double(testing.labels.count)
print(String(format: "MLP from ONNX: %.1f %% simulated, %d PBS", 100 * networkAccuracy, network.circuit?.statistics.programmableBootstrapCount ?? -1))

let accuracy = Double(zip(quantized, testing.labels).count { $0 == $1 }) / Double(testing.labels.count)
print(String(format: "logistic regression: %.1f %% quantized, %d PBS, FHE %@, deployed %@", 100 * accuracy, pbs ?? -1,
             "\(encrypted)", "\(output)"))
guard simulated == quantized, encrypted == Array(quantized.prefix(4)), output == scores[0], values.count == 2, networkAccuracy > 0.9 else {
    print("the example gave a wrong result")
    exit(1)
}
