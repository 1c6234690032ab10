import FHEProgram

/// The printed graph: one line per node with its type and bounds, fused subgraphs below.
/// Messages can be attached to nodes: the node's line is underlined and the messages follow.
struct GraphPrinter {
    let graph: Graph
    var bounds: [ClosedRange<Int64>?] = []
    var types: [IntegerType?] = []
    var messages: [Int: [String]] = [:]

    func render() -> String {
        var lines = lines(for: graph, indent: "")
        let subgraphs = graph.nodes.enumerated().compactMap { index, node -> (Int, FusedSubgraph)? in
            if case let .fused(subgraph) = node.operation { return (index, subgraph) }
            return nil
        }
        if !subgraphs.isEmpty {
            lines.append("")
            lines.append("Subgraphs:")
            for (index, subgraph) in subgraphs {
                lines.append("")
                lines.append("    %\(index) = tlu(%\(graph.nodes[index].inputs[0].index)):")
                lines.append("")
                lines += GraphPrinter(graph: subgraph.graph).lines(for: subgraph.graph, indent: "        ")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func lines(for graph: Graph, indent: String) -> [String] {
        let expressions = graph.nodes.indices.map { "%\($0) = " + expression(graph, $0) }
        let column = min(max(expressions.map(\.count).max() ?? 0, 20), 60) + 2
        var lines = [String]()
        for (index, text) in expressions.enumerated() {
            let padded = text.count < column ? text + String(repeating: " ", count: column - text.count) : text + "  "
            lines.append(indent + padded + "# " + typeDescription(graph, index))
            if let notes = messages[index], graph.nodes.count == self.graph.nodes.count {
                lines.append(indent + String(repeating: "^", count: text.count) + " " + notes[0])
                for note in notes.dropFirst() { lines.append(indent + String(repeating: " ", count: text.count + 1) + note) }
            }
        }
        return lines
    }

    private func expression(_ graph: Graph, _ index: Int) -> String {
        let node = graph.nodes[index]
        let arguments = node.inputs.map { "%\($0.index)" }
        switch node.operation {
        case let .input(_, name): return name
        case let .constant(tensor): return tensor.description
        case let .floatConstant(value): return String(value)
        case let .sum(axis): return "sum(\(arguments[0])" + (axis.map { ", axis=\($0))" } ?? ")")
        case let .dot(weights): return "dot(\(arguments[0]), \(weights))"
        case let .matmul(matrix): return "matmul(\(arguments[0]), \(matrix))"
        case let .reshape(shape): return "reshape(\(arguments[0]), newshape=\(tupleShape(shape)))"
        case let .index(i): return "\(arguments[0])[\(i)]"
        case let .roundBitPattern(bits, .exact): return "round_bit_pattern(\(arguments[0]), lsbs_to_remove=\(bits))"
        case let .roundBitPattern(bits, .approximate):
            return "round_bit_pattern(\(arguments[0]), lsbs_to_remove=\(bits), exactness=approximate)"
        case let .lookupTable(table): return "tlu(\(arguments[0]), table=\(abbreviated(table)))"
        case let .lookupTables(tables): return "tlu(\(arguments[0]), tables=\(tables.count) per element)"
        case let .fused(subgraph):
            guard index < bounds.count, let range = bounds[node.inputs[0].index], range.count <= 1 << 16,
                  let table = try? (range.lowerBound...range.upperBound).map(subgraph.evaluate) else {
                return "tlu(\(arguments[0]))"
            }
            return "tlu(\(arguments[0]), table=\(abbreviated(table)))"
        default: return "\(node.operation.name)(\(arguments.joined(separator: ", ")))"
        }
    }

    private func typeDescription(_ graph: Graph, _ index: Int) -> String {
        let node = graph.nodes[index]
        let isTop = graph.nodes.count == self.graph.nodes.count
        let element = node.kind == .float ? "float64" : (isTop && index < types.count ? types[index]?.description : nil) ?? "int"
        let kind = (node.isEncrypted ? "Encrypted" : "Clear") + (node.shape.isEmpty ? "Scalar" : "Tensor")
        let type = node.shape.isEmpty ? "\(kind)<\(element)>" : "\(kind)<\(element), shape=\(tupleShape(node.shape))>"
        guard isTop, index < bounds.count, let range = bounds[index] else { return type }
        return type + "  ∈ [\(range.lowerBound), \(range.upperBound)]"
    }

    private func tupleShape(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    private func abbreviated(_ table: [Int64]) -> String {
        let shown = table.prefix(16).map(String.init).joined(separator: ", ")
        return "[" + shown + (table.count > 16 ? ", … (\(table.count) entries)]" : "]")
    }
}

extension Graph: CustomStringConvertible {
    /// The graph without bounds or types (they need an inputset).
    public var description: String { GraphPrinter(graph: self).render() }
}
