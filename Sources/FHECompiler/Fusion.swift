import FHEProgram

/// Fusion: every univariate subgraph of elementwise operations that needs a table lookup —
/// float intermediates, or chains of integer operations such as `(x * x) % 13` or `relu(x) / 4` —
/// becomes one `.fused` node, a single table lookup of its one variable input.
///
/// Working back from each encrypted integer node that needs a lookup, the pass grows a region
/// through elementwise operations whose results are used only inside it, until the region's
/// variable inputs are one node (the lookup's input). Constants inside must be scalars, or the
/// table would depend on the element's position. A float region with two variable inputs cannot
/// be one lookup: that is an error. Integer regions that cannot be fused stay as they are;
/// lowering turns them into lookups and levelled operations.
extension Graph {
    public func fused() throws -> Graph {
        var users = [[Int]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() { for input in node.inputs { users[input.index].append(index) } }

        var absorbed = Set<Int>()
        var regions = [Int: (base: Int, members: Set<Int>)]()   // terminal → its region
        for index in nodes.indices.reversed() where !absorbed.contains(index) && needsLookup(index) && !isPerElement(index) {
            switch grow(from: index, users: users) {
            case let .univariate(base, members):
                guard members.count > 1 else { continue }   // a lone lookup stays as it is
                regions[index] = (base, members)
                absorbed.formUnion(members.subtracting([index]))
            case let .multivariate(inputs, members, hasFloat):
                if hasFloat {
                    let names = inputs.sorted().map { "%\($0)" }.joined(separator: " and ")
                    var report = CompatibilityReport(graph: self)
                    report.mark(index, ["this floating-point computation depends on \(names)" + tracedAt(index),
                                        "so it cannot be fused into a table lookup: a float subgraph with multiple input nodes has no single table"])
                    for input in inputs { report.mark(input, ["this is one of the \(inputs.count) inputs of the float subgraph ending at %\(index)"]) }
                    for member in members where member != index { report.mark(member, ["within the float subgraph ending at %\(index)"]) }
                    throw report.error(advice: "Convert to integers with .toInt() before combining the values, or compute the float part from one value.")
                }
            }
        }

        // Live nodes: the inputs and what the output needs, through the fused regions' bases.
        var live = Set(inputs.map(\.index))
        var pending = [output.index]
        while let index = pending.popLast() {
            guard live.insert(index).inserted || index == output.index else { continue }
            pending += regions[index].map { [$0.base] } ?? nodes[index].inputs.map(\.index)
        }

        var rebuilt = Graph(nodes: [], inputs: [], output: output)
        var newID = [Int: NodeID]()
        for (index, node) in nodes.enumerated() where !absorbed.contains(index) && live.contains(index) {
            if let region = regions[index] {
                let subgraph = FusedSubgraph(graph: extract(region.members, base: region.base, terminal: index))
                rebuilt.nodes.append(Node(operation: .fused(subgraph), inputs: [newID[region.base]!], shape: node.shape,
                                          kind: .integer, isEncrypted: true, location: node.location))
            } else {
                rebuilt.nodes.append(Node(operation: node.operation, inputs: node.inputs.map { newID[$0.index]! },
                                          shape: node.shape, kind: node.kind, isEncrypted: node.isEncrypted,
                                          location: node.location))
            }
            newID[index] = NodeID(index: rebuilt.nodes.count - 1)
        }
        rebuilt.inputs = inputs.map { newID[$0.index]! }
        rebuilt.output = newID[output.index]!
        if let float = rebuilt.nodes.firstIndex(where: { $0.kind == .float && $0.isEncrypted }) {
            var report = CompatibilityReport(graph: rebuilt)
            report.mark(float, ["this encrypted value is a float that no table lookup absorbs" + rebuilt.tracedAt(float),
                                "but only integers can be encrypted results or inputs of levelled operations"])
            throw report.error(advice: "End every floating-point computation with .toInt() (after .rounded() or .floor() as needed).")
        }
        return rebuilt
    }

    /// " (File.swift:12)": where node `index` was traced, when known.
    private func tracedAt(_ index: Int) -> String {
        nodes[index].location.map { " (\($0))" } ?? ""
    }

    private enum Growth {
        case univariate(base: Int, members: Set<Int>)
        case multivariate(inputs: Set<Int>, members: Set<Int>, hasFloat: Bool)
    }

    /// Whether node `index` is an encrypted integer that only a table lookup can compute: a
    /// lookup operation, or any integer computed from floats.
    private func needsLookup(_ index: Int) -> Bool {
        let node = nodes[index]
        guard node.kind == .integer, node.isEncrypted else { return false }
        return isLookup(index) || node.inputs.contains { nodes[$0.index].kind == .float }
    }

    /// Whether node `index` has one table per element: it stays a lookup of its own.
    private func isPerElement(_ index: Int) -> Bool {
        if case .lookupTables = nodes[index].operation { return true }
        return false
    }

    private func isElementwise(_ node: Node) -> Bool {
        switch node.operation {
        case .binary, .unary, .apply, .lookupTable, .roundBitPattern: true
        default: false
        }
    }

    private func isConstant(_ index: Int) -> Bool {
        switch nodes[index].operation {
        case .constant, .floatConstant: true
        default: false
        }
    }

    /// Grows the region that ends at `terminal` (see the type's documentation).
    private func grow(from terminal: Int, users: [[Int]]) -> Growth {
        var members: Set<Int> = [terminal]
        var hasFloat = nodes[terminal].inputs.contains { nodes[$0.index].kind == .float }
        func variableInputs(_ index: Int) -> Set<Int>? {
            var result = Set<Int>()
            for input in nodes[index].inputs.map(\.index) {
                if isConstant(input) {
                    guard nodes[input].shape.isEmpty else { return nil }   // a tensor constant: position-dependent
                } else {
                    result.insert(input)
                }
            }
            return result
        }
        guard var frontier = variableInputs(terminal) else { return .multivariate(inputs: [], members: members, hasFloat: hasFloat) }
        func canAbsorb(_ index: Int) -> Bool {
            let node = nodes[index]
            return isElementwise(node) && node.isEncrypted && node.shape == nodes[terminal].shape
                && users[index].allSatisfy { members.contains($0) } && variableInputs(index) != nil
        }
        while true {
            if frontier.count == 1, let only = frontier.first {
                // Absorb a univariate predecessor when it is float or itself needs a lookup
                // (a levelled one, like x + 1, stays outside: it costs no lookup).
                guard canAbsorb(only), nodes[only].kind == .float || needsLookup(only) else {
                    return .univariate(base: only, members: members)
                }
                members.insert(only)
                hasFloat = hasFloat || nodes[only].kind == .float
                frontier = variableInputs(only)!
                if frontier.isEmpty { return .multivariate(inputs: [], members: members, hasFloat: hasFloat) }
                continue
            }
            // Several variable inputs: absorb the latest one that can be absorbed.
            guard let next = frontier.sorted(by: >).first(where: canAbsorb) else {
                return .multivariate(inputs: frontier, members: members, hasFloat: hasFloat)
            }
            members.insert(next)
            hasFloat = hasFloat || nodes[next].kind == .float
            frontier.remove(next)
            frontier.formUnion(variableInputs(next)!)
        }
    }

    /// The scalar graph of a region: its base becomes the input, its constants are copied.
    private func extract(_ members: Set<Int>, base: Int, terminal: Int) -> Graph {
        var subgraph = Graph(nodes: [], inputs: [], output: NodeID(index: 0))
        var mapping = [Int: NodeID]()
        func add(_ node: Node) -> NodeID {
            subgraph.nodes.append(node)
            return NodeID(index: subgraph.nodes.count - 1)
        }
        mapping[base] = add(Node(operation: .input(index: 0, name: "x"), inputs: [], shape: [], kind: .integer,
                                 isEncrypted: true, location: nil))
        subgraph.inputs = [mapping[base]!]
        for index in members.sorted() {
            for input in nodes[index].inputs.map(\.index) where mapping[input] == nil {
                mapping[input] = add(nodes[input])   // a scalar constant
            }
            let node = nodes[index]
            mapping[index] = add(Node(operation: node.operation, inputs: node.inputs.map { mapping[$0.index]! }, shape: [],
                                      kind: node.kind, isEncrypted: true, location: node.location))
        }
        subgraph.output = mapping[terminal]!
        return subgraph
    }
}

extension Graph {
    /// Whether node `index` is computed by a table lookup (its encrypted inputs are lookup inputs).
    func isLookup(_ index: Int) -> Bool {
        let node = nodes[index]
        guard node.isEncrypted else { return false }
        switch node.operation {
        case .fused, .apply, .lookupTable, .lookupTables: return true
        case let .unary(operation): return operation == .absolute || operation == .relu
        case let .binary(operation):
            switch operation {
            case .add, .subtract: return false
            case .multiply: return node.inputs.allSatisfy { nodes[$0.index].isEncrypted }
            default: return true
            }
        default: return false
        }
    }
}
