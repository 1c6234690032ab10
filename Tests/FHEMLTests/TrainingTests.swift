import FHEML
import Foundation
import Testing

/// Each solver against a known result: scikit-learn's on the bundled iris data
/// (`Fixtures/make_references.py` computed the figures), or a closed form.
@Suite("Training against known results")
struct TrainingTests {
    static let iris = try! Dataset.iris()

    static func close(_ a: [Double], _ b: [Double], _ tolerance: Double) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test("least squares and ridge give scikit-learn's coefficients")
    func linearRegression() throws {
        let rows = Self.iris.rows.map { Array($0.prefix(3)) }, targets = Self.iris.rows.map { $0[3] }
        let ols = LinearRegression()
        try ols.fit(rows, targets)
        #expect(Self.close(ols.coefficients, [-0.20726607375742606, 0.22282854386092998, 0.5240831147784291], 1e-9))
        #expect(abs(ols.intercept - -0.24030738911226113) < 1e-9)
        let ridge = LinearRegression(alpha: 10)
        try ridge.fit(rows, targets)
        #expect(Self.close(ridge.coefficients, [-0.035761722470324143, 0.07054855016289102, 0.4286113407722816], 1e-9))
        #expect(abs(ridge.intercept - -0.41811085435198647) < 1e-9)
        #expect(throws: MLError.self) { try LinearRegression().fit([[1, 2], [2, 4], [3, 6]], [1, 2, 3]) }   // collinear
    }

    @Test("logistic regression (L2, C = 1) gives scikit-learn's coefficients, binary and multinomial")
    func logisticRegression() throws {
        let rows = try Standardizer(fittedOn: Self.iris.rows).transform(Self.iris.rows)
        let binary = LogisticRegression()
        try binary.fit(rows, Self.iris.labels.map { $0 == 2 ? 1 : 0 })
        #expect(Self.close(binary.coefficients.map { $0[0] }, [0.13995206019472026, -0.5147812456797869, 2.4802614702865733, 3.1407626985173116], 1e-4))
        #expect(Self.close(binary.intercepts, [-3.801574038009289], 1e-4))
        let multinomial = LogisticRegression()
        try multinomial.fit(rows, Self.iris.labels)
        let expected = [[-1.0740658549623483, 1.1601150177464592, -1.9306919390293458, -1.811556131179174],
                        [0.587810060522802, -0.36184058797664786, -0.3634308606391905, -0.8262697551778343],
                        [0.48625579443954775, -0.7982744297698122, 2.2941227996685374, 2.6378258863570085]]
        for k in 0..<3 { #expect(Self.close(multinomial.coefficients.map { $0[k] }, expected[k], 1e-4), "class \(k)") }
        #expect(Self.close(multinomial.intercepts, [-0.2052410045080318, 2.0748397919051054, -1.8695987873970736], 1e-4))
    }

    @Test("CART finds the one perfect split, stops at purity, and respects the depth and leaf limits")
    func cart() throws {
        // Feature 1 separates the classes between 2 and 3; feature 0 is noise. The tree trains on
        // the 6-bit grid of its input quantizers (step 4/63 on feature 1): the threshold lies midway
        // between the grid values of 2 and 3.
        let rows: [[Double]] = [[5, 1], [1, 2], [4, 3], [2, 4], [3, 2], [6, 3.5]]
        let labels = [0, 0, 1, 1, 0, 1]
        let tree = DecisionTreeClassifier(maxDepth: 3)
        try tree.fit(rows, labels)
        let root = try #require(tree.tree?.nodes.first)
        let step = 4.0 / 63, two = (2 / step).rounded() * step, three = (3 / step).rounded() * step
        #expect(root.feature == 1 && abs(root.threshold - (two + three) / 2) < 1e-12 && tree.tree?.depth == 1)
        #expect(try tree.predictFloat(rows) == labels)
        let stump = DecisionTreeRegressor(maxDepth: 1)
        try stump.fit(rows, [1, 1, 5, 5, 1, 5])
        #expect(try stump.predictFloat([[0, 0], [0, 9]]) == [1, 5])   // the leaf means
        let limited = DecisionTreeClassifier(maxDepth: 5, minSamplesLeaf: 3)
        try limited.fit(rows, [0, 1, 0, 1, 0, 1])
        #expect(limited.tree!.nodes.filter { $0.feature == nil }.count <= 2)
    }

    @Test("boosting lowers the training loss stage by stage; forests are reproducible under a seed")
    func ensembles() throws {
        let rows = try Standardizer(fittedOn: Self.iris.rows).transform(Self.iris.rows)
        func loss(_ model: GradientBoostingClassifier) throws -> Double {
            try zip(model.floatProbabilities(rows), Self.iris.labels).reduce(0) { $0 - log($1.0[$1.1]) } / Double(rows.count)
        }
        let few = GradientBoostingClassifier(trees: 2, maxDepth: 2), more = GradientBoostingClassifier(trees: 20, maxDepth: 2)
        try few.fit(rows, Self.iris.labels)
        try more.fit(rows, Self.iris.labels)
        #expect(try loss(more) < loss(few) && loss(few) < log(3.0))
        let a = RandomForestClassifier(trees: 3, maxDepth: 3, seed: 7), b = RandomForestClassifier(trees: 3, maxDepth: 3, seed: 7)
        try a.fit(rows, Self.iris.labels)
        try b.fit(rows, Self.iris.labels)
        #expect(a.forest == b.forest)
    }
}

@Suite("Datasets")
struct DatasetTests {
    @Test("the bundled datasets, a stratified seeded split, and a user's CSV with named classes")
    func datasets() throws {
        let counts = try [Dataset.breastCancer(), .iris(), .wine(), .digits()].map { ($0.rows.count, $0.rows[0].count, $0.classNames.count) }
        #expect(counts.map(\.0) == [569, 150, 178, 1797] && counts.map(\.1) == [30, 4, 13, 64] && counts.map(\.2) == [2, 3, 3, 10])
        let iris = try Dataset.iris()
        let (train, test) = iris.split(testFraction: 0.2, seed: 3)
        #expect(train.rows.count == 120 && test.rows.count == 30 && (0..<3).allSatisfy { c in test.labels.count { $0 == c } == 10 })
        #expect(iris.split(testFraction: 0.2, seed: 3).test.rows == test.rows)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fheml-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try "height,kind,weight\n1.5,cat,4\n2.5,dog,9\n1.0,cat,3.5\n".write(to: url, atomically: true, encoding: .utf8)
        let user = try Dataset.csv(contentsOf: url, labelColumn: "kind")
        #expect(user.rows == [[1.5, 4], [2.5, 9], [1.0, 3.5]] && user.labels == [0, 1, 0] && user.classNames == ["cat", "dog"])
        try "height,kind\nx,cat\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: MLError.self) { try Dataset.csv(contentsOf: url, labelColumn: "kind") }
        #expect(throws: MLError.self) { try Dataset.csv(contentsOf: url, labelColumn: "size") }
    }
}
