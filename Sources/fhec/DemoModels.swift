import FHE
import Foundation

/// `fhec demo`'s machine-learning part: two models trained on breast cancer, compiled, reported
/// on by the assistant before keygen, and run on a few samples in FHE against the clear model.
extension Demo {
    /// - Returns: whether every FHE prediction equals the quantized model's in the clear.
    func modelDemo() throws -> Bool {
        let (train, test) = try Dataset.breastCancer().split(testFraction: 0.2, seed: 0)
        let scaler = try Standardizer(fittedOn: train.rows)
        let (trainRows, testRows) = (scaler.transform(train.rows), scaler.transform(test.rows))
        print("\nmachine learning: breast cancer (\(train.rows.count) training rows, \(test.rows.count) test rows, standardised)")
        var agree = true
        let models: [(String, any FHEClassifier)] = [("LogisticRegression(nBits: 8)", LogisticRegression(nBits: 8)),
                                                     ("DecisionTreeClassifier(maxDepth: 3, nBits: 6)", DecisionTreeClassifier(maxDepth: 3, nBits: 6))]
        for (name, model) in models {
            let (_, fitTime) = try measure { try model.fit(trainRows, train.labels) }
            let (_, compileTime) = try measure { try model.compile(trainRows) }
            let accuracy = { (predicted: [Int]) in Double(zip(predicted, test.labels).count { $0 == $1 }) / Double(test.labels.count) }
            print("\n\(name): fit \(milliseconds(fitTime)), compile \(milliseconds(compileTime))")
            print(try ModelReport(model).text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            print(String(format: "  accuracy: float %.1f %%, quantized %.1f %%", 100 * accuracy(try model.predictFloat(testRows)),
                         100 * accuracy(try model.predict(testRows))))
            let samples = Array(testRows.prefix(3))
            let (_, keygenTime) = try measure { try withProgress("keygen") { _ = try model.predict([samples[0]], fhe: .execute) } }
            let (encrypted, runTime) = try measure { try model.predict(samples, fhe: .execute) }
            let clear = try model.predict(samples, fhe: .disable)
            agree = agree && encrypted == clear
            print("  FHE \(encrypted), clear \(clear), labels \(Array(test.labels.prefix(3)))  \(encrypted == clear ? "✓" : "✗")")
            print("  keygen and a first sample \(milliseconds(keygenTime)), \(milliseconds(runTime / 3)) per sample")
        }
        return agree
    }
}
