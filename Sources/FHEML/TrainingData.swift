/// Checks of training data shared by every model.
enum TrainingData {
    /// The feature count of non-empty rectangular rows of finite values.
    /// - Throws: `MLError.invalidData` saying which row is wrong.
    static func featureCount(_ rows: [[Double]]) throws -> Int {
        guard let features = rows.first?.count, features > 0 else {
            throw MLError.invalidData("give at least one row of at least one feature")
        }
        for (index, row) in rows.enumerated() {
            guard row.count == features else {
                throw MLError.invalidData("row \(index) has \(row.count) features, row 0 has \(features)")
            }
            guard row.allSatisfy(\.isFinite) else { throw MLError.invalidData("row \(index) holds a value that is not finite") }
        }
        return features
    }

    /// The class count of labels 0..<count, one per row, at least two classes.
    /// - Throws: `MLError.invalidData` for a count mismatch, a negative label or one class only.
    static func classCount(_ labels: [Int], rows: Int) throws -> Int {
        guard labels.count == rows else { throw MLError.invalidData("\(labels.count) labels for \(rows) rows") }
        guard let low = labels.min(), low >= 0, let high = labels.max() else {
            throw MLError.invalidData("labels must be class indices 0, 1, …")
        }
        guard high >= 1 else { throw MLError.invalidData("the labels hold one class only: a classifier needs two or more") }
        return high + 1
    }

    /// Checks regression targets: one finite value per row.
    static func checkTargets(_ targets: [Double], rows: Int) throws {
        guard targets.count == rows else { throw MLError.invalidData("\(targets.count) targets for \(rows) rows") }
        guard targets.allSatisfy(\.isFinite) else { throw MLError.invalidData("a target is not finite") }
    }
}
