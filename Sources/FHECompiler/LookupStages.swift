import FHEOptimizer
import FHEProgram

/// One lookup instruction of a compiled program with what feeds it: the assistant's per-layer
/// view (a network's layer is one such stage: its activation over every element).
public struct LookupStage: Sendable, Hashable {
    /// The function's name in the graph (`apply(name:)`), or "lookup".
    public let name: String
    /// The elements looked up (one PBS each).
    public let elements: Int
    /// The range of the lookup's input before any rounding, measured on the inputset.
    public let inputRange: ClosedRange<Int64>
    /// Bits of the input before rounding (its encoding's width).
    public let accumulatorBits: Int
    /// Bits the rounding before the lookup removes (0: none).
    public let roundedBits: Int
    /// Whether that rounding is approximate (no PBS).
    public let isApproximate: Bool
    /// Bits the lookup reads.
    public let lookupBits: Int
    /// PBS of the stage: the rounding's (counted with the first lookup that reads it) and the
    /// lookup's, every element.
    public let bootstrapCount: Int
}

extension CompiledProgram {
    /// The lookup instructions in program order, each with the rounding that feeds it.
    public var lookupStages: [LookupStage] {
        var roundings = [Int: (input: Int, lsbs: Int, bitsPerStep: Int)]()
        for case let .round(destination, input, lsbs, bitsPerStep) in program.instructions { roundings[destination] = (input, lsbs, bitsPerStep) }
        let lookupTypes = program.lookupInputTypes(registerTypes: registerTypes)
        var nodeOf = [Int: Int]()
        for (node, register) in nodeRegister.enumerated() { nodeOf[register] = node }
        var counted = Set<Int>()
        return program.instructions.compactMap { instruction in
            guard case let .lookup(destination, input, _) = instruction else { return nil }
            let rounding = roundings[input], accumulator = rounding?.input ?? input
            let elements = program.registers[destination].elementCount
            let roundingPBS = counted.insert(input).inserted ? rounding.map { RoundingStep.bootstrapCount(lsbsToRemove: $0.lsbs, bitsPerStep: $0.bitsPerStep) } ?? 0 : 0
            var name = "lookup"
            if let node = nodeOf[destination], case let .apply(function) = fusedGraph.nodes[node].operation { name = function.name }
            return LookupStage(name: name, elements: elements, inputRange: registerBounds[accumulator] ?? 0...0,
                               accumulatorBits: registerTypes[accumulator]?.width ?? 0, roundedBits: rounding?.lsbs ?? 0,
                               isApproximate: rounding?.bitsPerStep == RoundingStep.approximate,
                               lookupBits: lookupTypes[destination]?.width ?? 0, bootstrapCount: elements * (1 + roundingPBS))
        }
    }
}
