/// A binary decision tree in arrays (scikit-learn's layout): a split node sends a row left when
/// `row[feature] <= threshold`; a leaf holds its value (class fractions for a classifier, one
/// value for a regressor). Trees trained elsewhere can be built from their nodes.
public struct DecisionTree: Sendable, Hashable {
    public struct Node: Sendable, Hashable {
        /// The feature a split tests; nil for a leaf.
        public let feature: Int?
        public let threshold: Double
        /// The children of a split (indices into `nodes`).
        public let left: Int, right: Int
        /// A leaf's value.
        public let value: [Double]

        /// A split node.
        public static func split(feature: Int, threshold: Double, left: Int, right: Int) -> Node {
            Node(feature: feature, threshold: threshold, left: left, right: right, value: [])
        }

        /// A leaf.
        public static func leaf(_ value: [Double]) -> Node { Node(feature: nil, threshold: 0, left: 0, right: 0, value: value) }
    }

    /// Node 0 is the root.
    public let nodes: [Node]

    /// - Throws: `MLError.invalidParameter` when the children do not form a tree below node 0 or
    ///   the leaves' values differ in length.
    public init(nodes: [Node]) throws {
        guard let width = nodes.first(where: { $0.feature == nil })?.value.count, width > 0 else {
            throw MLError.invalidParameter("a tree needs at least one leaf with a value")
        }
        var seen = Set<Int>(), pending = [0]
        while let index = pending.popLast() {
            guard nodes.indices.contains(index), seen.insert(index).inserted else {
                throw MLError.invalidParameter("node \(index) is missing or reached twice: the nodes do not form a tree")
            }
            let node = nodes[index]
            if let feature = node.feature {
                guard feature >= 0, node.threshold.isFinite else { throw MLError.invalidParameter("split \(index) is invalid") }
                pending += [node.left, node.right]
            } else if node.value.count != width || !node.value.allSatisfy(\.isFinite) {
                throw MLError.invalidParameter("leaf \(index) has \(node.value.count) values, not \(width)")
            }
        }
        self.nodes = nodes
    }

    /// The leaf a row reaches.
    public func leaf(for row: [Double]) -> Int {
        var index = 0
        while let feature = nodes[index].feature {
            index = row[feature] <= nodes[index].threshold ? nodes[index].left : nodes[index].right
        }
        return index
    }

    /// The value of the leaf a row reaches.
    public func predict(_ row: [Double]) -> [Double] { nodes[leaf(for: row)].value }

    /// The largest feature index a split tests (−1 for a single leaf).
    var largestFeature: Int { nodes.compactMap(\.feature).max() ?? -1 }

    /// The depth: splits on the longest path from the root.
    public var depth: Int {
        func depth(_ index: Int) -> Int {
            nodes[index].feature == nil ? 0 : 1 + max(depth(nodes[index].left), depth(nodes[index].right))
        }
        return depth(0)
    }
}
