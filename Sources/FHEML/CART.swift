import FHEParameters
import Foundation

/// CART training (Breiman et al.): greedy binary splits that most reduce the impurity (Gini or
/// entropy for classes, squared error for values), thresholds midway between distinct values,
/// until `maxDepth`, `minSamplesLeaf` or purity stops it. `maxFeatures` draws that many features
/// per split (random forests) with the seeded generator.
struct CART {
    enum Criterion: Sendable { case gini, entropy, squaredError }

    let criterion: Criterion
    let maxDepth: Int
    let minSamplesLeaf: Int
    let maxFeatures: Int?

    /// The targets of a training set: class labels (with the class count) or values.
    enum Targets {
        case classes([Int], count: Int)
        case values([Double])
    }

    func fit(_ rows: [[Double]], _ targets: Targets, generator: inout SeededGenerator) -> DecisionTree {
        var nodes = [DecisionTree.Node]()
        func grow(_ samples: [Int], depth: Int) -> Int {
            let position = nodes.count
            nodes.append(.leaf(leafValue(samples, targets)))
            guard depth < maxDepth, samples.count >= 2 * minSamplesLeaf, !isPure(samples, targets),
                  let split = bestSplit(rows, samples, targets, generator: &generator) else { return position }
            let left = grow(split.left, depth: depth + 1), right = grow(split.right, depth: depth + 1)
            nodes[position] = .split(feature: split.feature, threshold: split.threshold, left: left, right: right)
            return position
        }
        _ = grow(Array(rows.indices), depth: 0)
        return try! DecisionTree(nodes: nodes)   // grown as a tree, leaves of one width
    }

    private func leafValue(_ samples: [Int], _ targets: Targets) -> [Double] {
        switch targets {
        case let .classes(labels, count):
            var counts = [Double](repeating: 0, count: count)
            for sample in samples { counts[labels[sample]] += 1 }
            return counts.map { $0 / Double(samples.count) }
        case let .values(values):
            return [samples.reduce(0) { $0 + values[$1] } / Double(samples.count)]
        }
    }

    private func isPure(_ samples: [Int], _ targets: Targets) -> Bool {
        switch targets {
        case let .classes(labels, _): return Set(samples.map { labels[$0] }).count == 1
        case let .values(values): return Set(samples.map { values[$0] }).count == 1
        }
    }

    /// The impurity of a node from its statistics: class counts, or (count, sum, sum of squares).
    private func impurity(_ statistics: [Double], count: Double) -> Double {
        switch criterion {
        case .gini: return 1 - statistics.reduce(0) { $0 + ($1 / count) * ($1 / count) }
        case .entropy: return statistics.reduce(0) { $1 > 0 ? $0 - ($1 / count) * log2(($1 / count)) : $0 }
        case .squaredError: return statistics[1] / count - (statistics[0] / count) * (statistics[0] / count)
        }
    }

    /// Per-sample statistics: a one-hot class count, or (value, value²).
    private func statistics(_ sample: Int, _ targets: Targets) -> [Double] {
        switch targets {
        case let .classes(labels, count):
            var row = [Double](repeating: 0, count: count)
            row[labels[sample]] = 1
            return row
        case let .values(values): return [values[sample], values[sample] * values[sample]]
        }
    }

    private func bestSplit(_ rows: [[Double]], _ samples: [Int], _ targets: Targets,
                           generator: inout SeededGenerator) -> (feature: Int, threshold: Double, left: [Int], right: [Int])? {
        let features = rows[0].count
        let candidates = maxFeatures.map { Array(Array(0..<features).shuffled(using: &generator).prefix($0)) } ?? Array(0..<features)
        let perSample = samples.map { statistics($0, targets) }
        let total = perSample.reduce(into: [Double](repeating: 0, count: perSample[0].count)) { for i in $0.indices { $0[i] += $1[i] } }
        let count = Double(samples.count)
        var best: (score: Double, feature: Int, threshold: Double)?
        for feature in candidates.sorted() {
            let order = samples.indices.sorted { rows[samples[$0]][feature] < rows[samples[$1]][feature] }
            var left = [Double](repeating: 0, count: total.count)
            for (rank, position) in order.enumerated().dropLast() {
                for i in left.indices { left[i] += perSample[position][i] }
                let here = rows[samples[position]][feature], next = rows[samples[order[rank + 1]]][feature]
                let leftCount = Double(rank + 1), rightCount = count - leftCount
                guard here < next, rank + 1 >= minSamplesLeaf, samples.count - rank - 1 >= minSamplesLeaf else { continue }
                let right = zip(total, left).map { $0 - $1 }
                let score = leftCount * impurity(left, count: leftCount) + rightCount * impurity(right, count: rightCount)
                if best.map({ score < $0.score - 1e-12 }) ?? true { best = (score, feature, (here + next) / 2) }
            }
        }
        guard let best, best.score < count * impurity(total, count: count) - 1e-12 else { return nil }
        let left = samples.filter { rows[$0][best.feature] <= best.threshold }
        let right = samples.filter { rows[$0][best.feature] > best.threshold }
        return (best.feature, best.threshold, left, right)
    }
}
