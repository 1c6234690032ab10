import FHEOptimizer
import FHEProgram

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
    /// The decompositions of its wide lookups (inputs wider than one PBS; nil when it has none).
    public let wideLookup: WideLookupParameters?
    /// Every PBS of the program and the decryption of its result as the optimizer saw them:
    /// precision and noise weights.
    public let lookupConstraints: [LookupConstraint]
    /// How operations of two encrypted values were lowered (nil when the program has none).
    public let multivariateStrategy: MultivariateStrategy?
    /// The optimizer's cost of one run: PBS count times the cost of one KS + PBS.
    let cost: Double

    /// The widest table lookup input (one PBS or a wide lookup) or rounding step, in bits.
    public var maxBitWidth: Int {
        (lookupConstraints.filter { $0.kind == .lookup }.map(\.bits) + wideLookupElements.keys).max() ?? 1
    }

    /// Table lookups per run, counting every element.
    public var lookupCount: Int { program.lookupCount }
    /// The elements of the wide lookups per run, by input width.
    public var wideLookupElements: [Int: Int] { program.wideLookupElements(lookupTypes: lookupTypes, narrowest: narrowestWide) }
    /// Keyswitches + PBS per run: table lookups, the roundings' PBS and the wide lookups'
    /// (`WideLookupParameters.bootstrapsPerBit` per bit), counting every element.
    public var bootstrapCount: Int {
        program.bootstrapCount(lookupTypes: lookupTypes, narrowest: narrowestWide, bootstrapsPerBit: wideLookup?.bootstrapsPerBit ?? 1)
    }

    /// The narrowest lookup input made wide (11 without wide lookups: only they need it).
    private var narrowestWide: Int { wideLookup?.narrowestBits ?? Limits.maximumLookupBitWidth + 1 }

    /// The values read per run that may fail independently, for a global failure target: every
    /// PBS, but one per bit of a wide lookup (its PBS of one bit read the same value).
    public var decodingCount: Int { program.bootstrapCount(lookupTypes: lookupTypes, narrowest: narrowestWide, bootstrapsPerBit: 1) }


    /// The type each lookup reads (by destination register).
    var lookupTypes: [Int: IntegerType] { program.lookupInputTypes(registerTypes: registerTypes) }

    /// The printed graph, each node with its type and bounds, the strategy chosen for operations
    /// of two encrypted values and the wide lookups' decompositions when there are any.
    public var graph: String {
        GraphPrinter(graph: fusedGraph, bounds: nodeRegister.map { registerBounds[$0] },
                     types: nodeRegister.map { registerTypes[$0] }).render()
            + (multivariateStrategy.map { "\ntwo-variable operations: \($0), \(bootstrapCount) PBS" } ?? "")
            + (wideLookup.map { wide in
                let widths = wideLookupElements.sorted { $0.key < $1.key }.map { "\($0.value) of \($0.key) bits" }
                return "\nwide lookups (bit extraction, circuit bootstrapping, vertical packing): \(widths.joined(separator: ", ")); \(wide)"
            } ?? "")
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
    /// Compiles the function, one pass after another: traces it with the first sample's shapes,
    /// checks the inputset, fuses float subgraphs into table lookups, lowers the graph to a
    /// `Program`, measures every register's bounds on the inputset, assigns integer types
    /// (shared by levelled groups), checks every width, chooses the rounding steps, derives the
    /// noise constraints, asks the optimizer for parameters and fills the tables.
    /// - Throws: `CompilationError` (with the printed graph and the offending nodes marked for
    ///   width failures) or `OptimizerError` when no parameters meet the failure target.
    public func compileProgram(inputset: [[Tensor]], configuration: Configuration = Configuration()) throws -> CompiledProgram {
        guard let first = inputset.first else {
            throw CompilationError.inputset("the inputset is empty: give at least one sample, as typical as possible, "
                                            + "so that every value's range can be measured")
        }
        let traced = try trace(inputShapes: first.map(\.shape))
        try traced.check(inputset: inputset)
        let graph = try traced.fused()
        let ranges = try graph.rangesForLowering(inputset: inputset)
        guard graph.nodes.indices.contains(where: { graph.dependsOnStrategy($0, ranges: ranges) }) else {
            return try compile(graph, ranges: ranges, inputset: inputset, configuration: configuration, strategy: nil)
        }
        // Each strategy that compiles; the cheapest wins, the first failure explains when none does.
        var best: CompiledProgram?, firstFailure: Error?
        for strategy in try configuration.validatedStrategies() {
            do {
                let candidate = try compile(graph, ranges: ranges, inputset: inputset, configuration: configuration, strategy: strategy)
                if best.map({ candidate.cost < $0.cost }) ?? true { best = candidate }
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        guard let best else { throw firstFailure! }
        return best
    }

    /// The passes after fusion, operations of two encrypted values lowered by `strategy`
    /// (`oneLookup` when nil: the program has none).
    private func compile(_ graph: Graph, ranges: [Int: ClosedRange<Int64>], inputset: [[Tensor]], configuration: Configuration,
                         strategy: MultivariateStrategy?) throws -> CompiledProgram {
        let lowered = try graph.lowered(ranges: ranges, strategy: strategy ?? .oneLookup)
        let bounds = try lowered.bounds(inputset: inputset)
        let types = lowered.integerTypes(bounds: bounds)
        let lookupTypes = lowered.program.lookupInputTypes(registerTypes: types)   // the steps chosen below do not change them
        try lowered.checkWidths(graph: graph, bounds: bounds, types: types, lookupTypes: lookupTypes)
        // 9- and 10-bit lookups as one PBS or wide (`WideLookupPreference`): the cheaper that compiles.
        let widths = Set(lookupTypes.values.map(\.width))
        let choices = configuration.wideLookupPreference.narrowestWideBits
            .filter { narrowest in narrowest > Limits.maximumLookupBitWidth || widths.contains { $0 >= narrowest } }
        var best: CompiledProgram?, firstFailure: Error?
        for narrowest in choices.isEmpty ? [Limits.maximumLookupBitWidth + 1] : choices {
            do {
                let candidate = try optimized(lowered, graph: graph, bounds: bounds, types: types, lookupTypes: lookupTypes,
                                              narrowestWide: narrowest, configuration: configuration, strategy: strategy)
                if best.map({ candidate.cost < $0.cost }) ?? true { best = candidate }
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        guard let best else { throw firstFailure! }
        return best
    }

    /// The passes from the rounding steps on, with lookups of `narrowestWide` bits and more wide.
    private func optimized(_ lowered: LoweredProgram, graph: Graph, bounds: [ClosedRange<Int64>?], types: [IntegerType?],
                           lookupTypes: [Int: IntegerType], narrowestWide: Int, configuration: Configuration,
                           strategy: MultivariateStrategy?) throws -> CompiledProgram {
        var lowered = lowered
        let isWide = { (bits: Int) in WideLookupParameters.isWide(bits: bits, narrowest: narrowestWide) }
        lowered.chooseRoundingSteps(widestLookup: lookupTypes.values.map(\.width).filter { !isWide($0) }.max() ?? 1)
        let weights = lowered.noiseWeights(bounds: bounds, types: types, lookupTypes: lookupTypes, narrowestWide: narrowestWide)
        let constraints = lowered.lookupConstraints(types: types, lookupTypes: lookupTypes, weights: weights, narrowestWide: narrowestWide)
        let wideElements = lowered.program.wideLookupElements(lookupTypes: lookupTypes, narrowest: narrowestWide)
        let ordinaryCount = lowered.program.bootstrapCount - wideElements.values.reduce(0, +)
        let decodings = lowered.program.bootstrapCount(lookupTypes: lookupTypes, narrowest: narrowestWide, bootstrapsPerBit: 1)
        // One PBS at least (a wide lookup's bit extractions are PBS with their own constraints).
        let optimized = try Optimizer.optimize(
            constraints: constraints + (wideElements.isEmpty ? [LookupConstraint(bits: 1)] : []),
            wideLookups: wideElements.isEmpty ? nil
                : WideLookupDemand(elements: wideElements, bootstrapCount: ordinaryCount, narrowestBits: narrowestWide),
            target: configuration.failureTarget(lookupCount: decodings), securityLevel: try configuration.validatedSecurityLevel(),
            space: try configuration.validatedSearchSpace())
        lowered.fillTables(types: types, lookupTypes: lookupTypes)
        let wideCost = wideElements.map { bits, count in
            Double(count) * CostModel.wideLookupCost(optimized.parameters, wide: optimized.wideLookup!, bits: bits)
        }.reduce(0, +)
        return CompiledProgram(program: lowered.program, registerTypes: types, fusedGraph: graph,
                               nodeRegister: lowered.nodeRegister, registerBounds: bounds, parameters: optimized.parameters,
                               wideLookup: optimized.wideLookup, lookupConstraints: constraints, multivariateStrategy: strategy,
                               cost: optimized.cost * Double(max(ordinaryCount, wideElements.isEmpty ? 1 : 0)) + wideCost)
    }
}
