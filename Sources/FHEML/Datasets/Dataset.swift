import FHEParameters
import Foundation
import SwiftCSV

/// Labelled rows: features and a class index per row, with the class names.
public struct Dataset: Sendable {
    public let name: String
    public let rows: [[Double]]
    public let labels: [Int]
    public let classNames: [String]

    /// - Throws: `MLError.invalidData` for rows of different lengths, labels outside the classes.
    public init(name: String, rows: [[Double]], labels: [Int], classNames: [String]) throws {
        _ = try TrainingData.featureCount(rows)
        guard labels.count == rows.count, labels.allSatisfy({ (0..<classNames.count).contains($0) }) else {
            throw MLError.invalidData("\(name): every row needs a label in 0..<\(classNames.count)")
        }
        self.name = name
        self.rows = rows
        self.labels = labels
        self.classNames = classNames
    }

    /// Breast Cancer Wisconsin (diagnostic): 569 rows, 30 features, malignant (0) or benign (1).
    public static func breastCancer() throws -> Dataset { try bundled("breast_cancer", name: "breast cancer") }
    /// Iris: 150 rows, 4 features, 3 classes.
    public static func iris() throws -> Dataset { try bundled("iris", name: "iris") }
    /// Wine: 178 rows, 13 features, 3 classes.
    public static func wine() throws -> Dataset { try bundled("wine_data", name: "wine") }
    /// Handwritten digits, 8 × 8 pixels of 0…16: 1797 rows, 64 features, 10 classes.
    public static func digits() throws -> Dataset { try bundled("digits", name: "digits", hasHeader: false) }

    /// A dataset bundled with the module (`Datasets/Data`, see its ATTRIBUTION.md).
    private static func bundled(_ file: String, name: String, hasHeader: Bool = true) throws -> Dataset {
        guard let url = Bundle.module.url(forResource: file, withExtension: "csv", subdirectory: "Data") else {
            throw MLError.invalidData("the bundled dataset \(file).csv is missing")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline)
        var classNames: [String]
        if hasHeader {
            classNames = lines.removeFirst().split(separator: ",").dropFirst(2).map(String.init)
        } else {
            classNames = []
        }
        let table = try lines.map { line in try line.split(separator: ",").map { field -> Double in
            guard let value = Double(field) else { throw MLError.invalidData("\(file).csv: '\(field)' is not a number") }
            return value
        } }
        let labels = table.map { Int($0.last!) }
        if classNames.isEmpty { classNames = (0...(labels.max() ?? 0)).map(String.init) }
        return try Dataset(name: name, rows: table.map { Array($0.dropLast()) }, labels: labels, classNames: classNames)
    }

    /// A user's CSV file: a header line of column names, then rows of numbers; `labelColumn`
    /// holds the class (integers 0, 1, …, or names, numbered in order of first appearance).
    /// - Throws: `MLError.invalidData` naming the row and column of a value that is not a number.
    public static func csv(contentsOf url: URL, labelColumn: String) throws -> Dataset {
        let file: CSV<Named>
        do { file = try CSV<Named>(url: url) } catch { throw MLError.invalidData("\(url.lastPathComponent): \(error)") }
        guard file.header.contains(labelColumn) else {
            throw MLError.invalidData("\(url.lastPathComponent) has no column '\(labelColumn)': its columns are \(file.header)")
        }
        let features = file.header.filter { $0 != labelColumn }
        var classNames = [String](), rows = [[Double]](), labels = [Int]()
        for (number, row) in file.rows.enumerated() {
            rows.append(try features.map { column in
                guard let value = row[column].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) else {
                    throw MLError.invalidData("\(url.lastPathComponent), row \(number + 1), column '\(column)': not a number")
                }
                return value
            })
            let label = row[labelColumn, default: ""].trimmingCharacters(in: .whitespaces)
            if let index = classNames.firstIndex(of: label) {
                labels.append(index)
            } else {
                classNames.append(label)
                labels.append(classNames.count - 1)
            }
        }
        return try Dataset(name: url.deletingPathExtension().lastPathComponent, rows: rows, labels: labels, classNames: classNames)
    }

    /// A train/test split: `testFraction` of each class (stratified) or of all rows, drawn with
    /// a seeded shuffle, so the same seed gives the same split.
    public func split(testFraction: Double = 0.2, seed: UInt64 = 0, stratified: Bool = true) -> (train: Dataset, test: Dataset) {
        var generator = SeededGenerator(seed: seed)
        let groups: [[Int]] = stratified
            ? (0..<classNames.count).map { c in labels.indices.filter { labels[$0] == c } }
            : [Array(rows.indices)]
        var train = [Int](), test = [Int]()
        for group in groups {
            let shuffled = group.shuffled(using: &generator)
            let testCount = Int((Double(group.count) * testFraction).rounded())
            test += shuffled.prefix(testCount)
            train += shuffled.dropFirst(testCount)
        }
        func subset(_ indices: [Int]) -> Dataset {
            try! Dataset(name: name, rows: indices.map { rows[$0] }, labels: indices.map { labels[$0] }, classNames: classNames)
        }
        return (subset(train.sorted()), subset(test.sorted()))
    }
}

/// Standardisation: each feature shifted by its mean and divided by its standard deviation on
/// the rows it is fitted on (scikit-learn's StandardScaler; a constant feature is only shifted).
public struct Standardizer: Sendable, Hashable {
    public let means: [Double]
    public let deviations: [Double]

    /// - Throws: `MLError.invalidData` for empty or ragged rows.
    public init(fittedOn rows: [[Double]]) throws {
        let features = try TrainingData.featureCount(rows), count = Double(rows.count)
        means = (0..<features).map { j in rows.reduce(0) { $0 + $1[j] } / count }
        deviations = (0..<features).map { [means] j in
            let variance = rows.reduce(0) { $0 + ($1[j] - means[j]) * ($1[j] - means[j]) } / count
            return variance > 0 ? variance.squareRoot() : 1
        }
    }

    /// The standardised rows.
    public func transform(_ rows: [[Double]]) -> [[Double]] {
        rows.map { row in row.indices.map { (row[$0] - means[$0]) / deviations[$0] } }
    }
}
