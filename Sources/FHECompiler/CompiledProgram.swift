import FHEOptimizer

/// A compiled program: the fused graph with its bounds, types, lookup tables and the parameter
/// set the optimizer chose for it. `simulate` runs it in the clear (the virtual library).
public struct CompiledProgram: Sendable {
    /// The fused graph.
    public let fusedGraph: Graph
    /// Each node's bounds over the inputset (nil for floats).
    public let bounds: [ClosedRange<Int64>?]
    /// Each node's integer type.
    public let types: [IntegerType?]
    /// The parameter set for every table lookup of the program.
    public let parameters: ParameterSet
    /// Table lookups per run, counting every element of a tensor lookup.
    public let lookupCount: Int
    /// The widest table lookup input, in bits.
    public let maxBitWidth: Int
    /// The largest 2-norm of clear weights at a table lookup input.
    public let maxNorm2: Double
    /// Lookup nodes' tables over their input type's whole range: entry i is for value (low + i).
    let tables: [Int: (low: Int64, entries: [Int64])]

    /// The printed graph, each node with its type and bounds.
    public var graph: String {
        GraphPrinter(graph: fusedGraph, bounds: bounds, types: types).render()
    }

    /// The type each argument must have, in the printed form (`EncryptedScalar<uint4>`).
    func argumentDescription(_ position: Int) -> String {
        let node = fusedGraph[fusedGraph.inputs[position]]
        let kind = (node.isEncrypted ? "Encrypted" : "Clear") + (node.shape.isEmpty ? "Scalar" : "Tensor")
        let type = types[fusedGraph.inputs[position].index]!.description
        return node.shape.isEmpty ? "\(kind)<\(type)>" : "\(kind)<\(type), shape=\(node.shape)>"
    }

    /// Runs the program in the clear, lookups from their tables.
    /// - Throws: `CompilationError.argument` for a wrong count, shape or a value outside the
    ///   argument's type fixed at compile time.
    public func simulate(arguments: [Tensor]) throws -> Tensor {
        guard arguments.count == fusedGraph.inputs.count else {
            throw CompilationError.argument("expected \(fusedGraph.inputs.count) arguments, got \(arguments.count)")
        }
        for (position, argument) in arguments.enumerated() {
            let input = fusedGraph.inputs[position].index
            let type = types[input]!
            let low: Int64 = type.isSigned ? -(1 << (type.width - 1)) : 0
            let high: Int64 = type.isSigned ? (1 << (type.width - 1)) - 1 : (1 << type.width) - 1
            guard argument.shape == fusedGraph.nodes[input].shape, argument.elements.allSatisfy({ (low...high).contains($0) }) else {
                throw CompilationError.argument("expected \(argumentDescription(position)), got \(argument)")
            }
        }
        return try fusedGraph.evaluate(arguments, tables: tables)
    }

    /// `simulate(arguments:)` with variadic arguments.
    public func simulate(_ arguments: Tensor...) throws -> Tensor { try simulate(arguments: arguments) }
}

extension Compiler {
    /// Compiles the function: traces it with the first sample's shapes, fuses float subgraphs
    /// into table lookups, measures bounds on the inputset, assigns bit-widths, checks that every
    /// lookup input fits `Configuration.maximumTLUBitWidth` bits, analyses the noise and asks the
    /// optimizer for parameters.
    /// - Throws: `CompilationError` with the printed graph and the offending nodes marked, or
    ///   `OptimizerError` when no parameters meet the failure target.
    public func compileProgram(inputset: [[Tensor]], configuration: Configuration = Configuration()) throws -> CompiledProgram {
        guard let first = inputset.first else {
            throw CompilationError.inputset("the inputset is empty: give at least one sample, as typical as possible, "
                                            + "so that every value's range can be measured")
        }
        let graph = try trace(inputShapes: first.map(\.shape)).fused()
        let bounds = try graph.bounds(inputset: inputset)
        let types = graph.integerTypes(bounds: bounds)

        var messages = [Int: [String]]()
        var widest = 1
        var lookupCount = 0
        for index in graph.nodes.indices where graph.isLookup(index) {
            lookupCount += Tensor.elementCount(of: graph.nodes[index].shape)
            for input in graph.nodes[index].inputs.map(\.index) where graph.nodes[input].isEncrypted {
                let width = types[input]!.width
                widest = max(widest, width)
                if width > Configuration.maximumTLUBitWidth {
                    messages[input, default: []] += ["this \(width)-bit value is used as an input to a table lookup",
                                                     "but only up to \(Configuration.maximumTLUBitWidth)-bit table lookups are supported"]
                }
            }
        }
        for input in graph.inputs where graph[input].kind != .integer { messages[input.index, default: []].append("inputs must be integers") }
        if !messages.isEmpty {
            let printed = GraphPrinter(graph: graph, bounds: bounds, types: types, messages: messages).render()
            throw CompilationError.incompatible(report: "Function you are trying to compile cannot be compiled\n\n" + printed
                + "\n\nNarrow the inputset, round values before lookups (roundBitPattern) or use fewer quantization bits.")
        }

        let norms = graph.squaredNorms(bounds: bounds)
        let maxNorm2 = graph.nodes.indices.filter(graph.isLookup).flatMap { graph.nodes[$0].inputs.map { norms[$0.index] } }
            .max().map { $0.squareRoot() } ?? 1
        guard let level = SecurityLevel(rawValue: configuration.securityLevel) else {
            throw CompilationError.inputset("securityLevel must be 128 or 132, got \(configuration.securityLevel)")
        }
        let optimized = try Optimizer.optimize(bits: widest, norm2: max(maxNorm2, 1),
                                               target: configuration.failureTarget(lookupCount: lookupCount),
                                               securityLevel: level)

        var tables = [Int: (low: Int64, entries: [Int64])]()
        for (index, node) in graph.nodes.enumerated() {
            guard case let .fused(subgraph) = node.operation, let type = types[node.inputs[0].index] else { continue }
            let low: Int64 = type.isSigned ? -(1 << (type.width - 1)) : 0
            let count = 1 << type.width
            tables[index] = (low, (0..<Int64(count)).map { (try? subgraph.evaluate(low + $0)) ?? 0 })
        }
        return CompiledProgram(fusedGraph: graph, bounds: bounds, types: types, parameters: optimized.parameters,
                               lookupCount: lookupCount, maxBitWidth: widest, maxNorm2: maxNorm2, tables: tables)
    }
}
