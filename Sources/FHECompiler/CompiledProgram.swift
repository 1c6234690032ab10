import FHEOptimizer

/// A compiled program: the lowered `Program` with its types and tables, the fused graph it
/// came from, and the parameter set the optimizer chose. `simulate` runs it in the clear with
/// the FHE encoding (the virtual library).
public struct CompiledProgram: Sendable {
    /// The instructions the FHE runtime runs; lookup tables filled in.
    public let program: Program
    /// Each register's integer type (nil for floats): its encoding in FHE.
    public let registerTypes: [IntegerType?]
    /// The fused graph, and each node's register.
    public let fusedGraph: Graph
    let nodeRegister: [Int]
    let registerBounds: [ClosedRange<Int64>?]
    /// The parameter set for every table lookup of the program.
    public let parameters: ParameterSet
    /// Every PBS of the program and the decryption of its result as the optimizer saw them:
    /// precision and noise weights.
    public let lookupConstraints: [LookupConstraint]

    /// The widest PBS input (table lookups and roundings), in bits.
    public var maxBitWidth: Int { lookupConstraints.filter { !$0.isDecryption }.map(\.bits).max() ?? 1 }

    /// Table lookups per run, counting every element.
    public var lookupCount: Int { program.lookupCount }
    /// Keyswitches + PBS per run: table lookups and the roundings' PBS, counting every element.
    public var bootstrapCount: Int { program.bootstrapCount }

    /// The printed graph, each node with its type and bounds.
    public var graph: String {
        GraphPrinter(graph: fusedGraph, bounds: nodeRegister.map { registerBounds[$0] },
                     types: nodeRegister.map { registerTypes[$0] }).render()
    }

    /// Runs the program in the clear with the FHE encoding: what FHE returns when no lookup fails.
    /// - Throws: `CompilationError.argument` for a wrong count, shape or a value outside the
    ///   argument's type fixed at compile time ("expected EncryptedScalar<uint4>, got 17").
    public func simulate(arguments: [Tensor]) throws -> Tensor {
        try validate(arguments: arguments)
        return try program.simulate(validatedArguments: arguments, registerTypes: registerTypes)
    }

    /// Checks arguments against the types fixed at compile time.
    /// - Throws: `CompilationError.argument` for a wrong count, shape or a value outside its type
    ///   ("expected EncryptedScalar<uint4>, got 17").
    public func validate(arguments: [Tensor]) throws {
        guard arguments.count == program.arguments.count else {
            throw CompilationError.argument("expected \(program.arguments.count) arguments, got \(arguments.count)")
        }
        for (position, argument) in arguments.enumerated() {
            let register = program.arguments[position], type = registerTypes[register]!
            guard argument.shape == program.registers[register].shape, argument.elements.allSatisfy(type.contains) else {
                throw CompilationError.argument("expected \(typeDescription(ofRegister: register)), got \(argument)")
            }
        }
    }

    /// `simulate(arguments:)` with variadic arguments.
    public func simulate(_ arguments: Tensor...) throws -> Tensor { try simulate(arguments: arguments) }

    /// `EncryptedScalar<uint4>`, `ClearTensor<int5, shape=(2, 3)>`: a register's printed type.
    public func typeDescription(ofRegister register: Int) -> String {
        registerTypes[register]!.description(shape: program.registers[register].shape, isEncrypted: program.registers[register].isEncrypted)
    }
}

extension Compiler {
    /// Compiles the function: traces it with the first sample's shapes, fuses float subgraphs into
    /// table lookups, lowers the graph to a `Program`, measures every register's bounds on the
    /// inputset, assigns integer types (shared by levelled groups), checks that every lookup input
    /// fits `Configuration.maximumTLUBitWidth` bits, analyses the noise, asks the optimizer for
    /// parameters and fills the lookup tables.
    /// - Throws: `CompilationError` (with the printed graph and the offending nodes marked for
    ///   bit-width failures) or `OptimizerError` when no parameters meet the failure target.
    public func compileProgram(inputset: [[Tensor]], configuration: Configuration = Configuration()) throws -> CompiledProgram {
        guard let first = inputset.first else {
            throw CompilationError.inputset("the inputset is empty: give at least one sample, as typical as possible, "
                                            + "so that every value's range can be measured")
        }
        let graph = try trace(inputShapes: first.map(\.shape)).fused()
        var nodeBounds: [ClosedRange<Int64>?]?
        var lowered = try graph.lowered { node in
            if nodeBounds == nil { nodeBounds = try graph.nodeBounds(inputset: inputset) }
            guard let range = nodeBounds![node] else {
                throw CompilationError.invalidOperation("this operation needs an integer operand", location: graph.nodes[node].location)
            }
            return range
        }
        let bounds = try lowered.bounds(inputset: inputset, graph: graph)
        let types = lowered.integerTypes(bounds: bounds)

        var messages = [Int: [String]]()
        func report(_ node: Int, _ lines: [String]) { if messages[node] == nil { messages[node] = lines } }
        // A rounding must leave at least one bit.
        for case let .round(destination, input, lsbs, _) in lowered.program.instructions where lsbs >= types[input]!.width {
            report(lowered.registerNode[destination],
                   ["round_bit_pattern removes \(lsbs) bits of a \(types[input]!.width)-bit value", "remove fewer bits"])
        }
        let lookupTypes = lowered.program.lookupInputTypes(registerTypes: types)   // the steps chosen below do not change them
        var widest = 1
        let lookups = lowered.program.instructions.compactMap { instruction -> (destination: Int, input: Int)? in
            if case let .lookup(destination, input, _) = instruction { return (destination, input) }
            return nil
        }
        for (destination, input) in lookups {
            let width = lookupTypes[destination]!.width
            widest = max(widest, width)
            guard width > Configuration.maximumTLUBitWidth else { continue }
            let node = lowered.registerNode[input]
            let ownValue = lowered.nodeRegister[node] == input
            let subject = ownValue ? "this \(width)-bit value is used as an input to a table lookup"
                : "this operation is computed by a table lookup of a \(width)-bit intermediate value"
            report(ownValue ? node : lowered.registerNode[destination],
                   [subject, "but only up to \(Configuration.maximumTLUBitWidth)-bit table lookups are supported"])
        }
        // Encrypted values are messages of a ciphertext: beyond 32 bits no parameter set keeps them.
        for (register, type) in types.enumerated() where lowered.program.registers[register].isEncrypted {
            guard let type, type.width > Configuration.maximumEncryptedBitWidth else { continue }
            report(lowered.registerNode[register], ["this encrypted value needs \(type.width) bits",
                                                    "but encrypted values are limited to \(Configuration.maximumEncryptedBitWidth) bits"])
        }
        if !messages.isEmpty {
            let printed = GraphPrinter(graph: graph, bounds: lowered.nodeRegister.map { bounds[$0] },
                                       types: lowered.nodeRegister.map { types[$0] }, messages: messages).render()
            throw CompilationError.incompatible(report: "Function you are trying to compile cannot be compiled\n\n" + printed
                + "\n\nNarrow the inputset, round lookup inputs with roundBitPattern, or use fewer quantization bits or smaller "
                + "weights so that every table lookup input fits \(Configuration.maximumTLUBitWidth) bits.")
        }

        // Roundings clear as many bits per step as the widest lookup's precision allows (+ 1).
        for (position, instruction) in lowered.program.instructions.enumerated() {
            guard case let .round(destination, input, lsbs, _) = instruction else { continue }
            let bitsPerStep = lsbs == 1 ? 1 : min(lsbs, max(2, widest + 1))
            lowered.program.instructions[position] = .round(destination, input, lsbsToRemove: lsbs, bitsPerStep: bitsPerStep)
        }

        let constraints = lowered.lookupConstraints(types: types, lookupTypes: lookupTypes,
                                                    weights: lowered.noiseWeights(bounds: bounds))
        guard let level = SecurityLevel(rawValue: configuration.securityLevel) else {
            throw CompilationError.inputset("securityLevel must be 128 or 132, got \(configuration.securityLevel)")
        }
        let optimized = try Optimizer.optimize(constraints: constraints + [LookupConstraint(bits: 1)],   // one PBS at least
                                               target: configuration.failureTarget(lookupCount: lowered.program.bootstrapCount),
                                               securityLevel: level)

        // Tables over the input type's encodings (narrowed after a rounding). Entries outside the
        // measured bounds that the function rejects (an index out of range) are 0, and those
        // outside the result's type are wrapped into it (what decryption would give), in FHE and
        // in simulate alike: a table holds only values of its result type.
        for (position, instruction) in lowered.program.instructions.enumerated() {
            guard case let .lookup(destination, input, _) = instruction, let type = lookupTypes[destination] else { continue }
            let shift = types[input]!.width - type.width, output = types[destination]!
            let function = lowered.functions[destination]!
            let positions = lowered.perElement.contains(destination) ? lowered.program.registers[destination].elementCount : 1
            let table = (0..<positions).flatMap { position in
                (0..<(Int64(1) << type.width)).map { output.wrapping((try? function(position, type.value(ofEntry: $0) << shift)) ?? 0) }
            }
            lowered.program.instructions[position] = .lookup(destination, input, table: table)
        }
        return CompiledProgram(program: lowered.program, registerTypes: types, fusedGraph: graph,
                               nodeRegister: lowered.nodeRegister, registerBounds: bounds, parameters: optimized.parameters,
                               lookupConstraints: constraints)
    }
}
