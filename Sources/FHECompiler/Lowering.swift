import FHEParameters
import FHEProgram

/// Lowering: the fused graph becomes a `Program`. Levelled operations map to one instruction
/// each; every operation that needs a table lookup becomes lookups and levelled instructions:
///
/// | operation | lowering | lookups |
/// |---|---|---|
/// | univariate (fused subgraph, apply, table, abs, relu, an operation with a constant) | lookup(x), one table per element when the constant is a tensor | 1 |
/// | roundBitPattern(x, k) | round(x): x + 2^(k−1) with its low k bits cleared (`RoundingStep`); a lookup of it reads k bits fewer | 2 per step |
/// | x < y, x ≤ y, x > y, x ≥ y, x == y, x != y | lookup(x − y) | 1 |
/// | minimum(x, y), maximum(x, y) | y + lookup(x − y) with min(d, 0) or max(d, 0) | 1 |
/// | x · y, both encrypted | lookup(x + y) − lookup(x − y), with ⌊s²/4⌋ and ⌊d²/4⌋ | 2 |
/// | x & y, x \| y, x ^ y, x << y, x >> y (two variables) | lookup(x·2^w + (y − min y)), w the bits of y's range | 1 |
///
/// The last row packs both operands into one lookup input, so its width is x's plus w: the
/// bit-width check reports it when that exceeds the supported lookup width. That is the
/// `oneLookup` strategy; under `chunked(bits:)` the operations of two encrypted values wider than
/// one lookup, and comparisons of encrypted values wider than 8 bits with clear ones, are lowered
/// by `lowerChunked` (Lowering+Chunked.swift): comparisons by rounding x − y to its sign, the
/// others by splitting both operands into chunks (`decompose`).
struct LoweredProgram {
    var program = Program()
    /// The exact function of each lookup instruction (by destination register), for bounds and
    /// tables: the result for one input value at one element position.
    var functions: [Int: LookupFunction] = [:]
    /// The lookups whose function depends on the element position (a tensor constant): one
    /// table per element.
    var perElement: Set<Int> = []
    /// The Swift function of each clear table instruction (by destination register): its table
    /// is filled once the input's type is known.
    var clearFunctions: [Int: @Sendable (Int64) throws -> Int64] = [:]
    /// The register holding each graph node's value.
    var nodeRegister: [Int] = []
    /// The graph node each register was made for (for diagnostics).
    var registerNode: [Int] = []
}

/// The result of a lookup for one input value at one element position.
typealias LookupFunction = @Sendable (_ position: Int, _ value: Int64) throws -> Int64

/// The registers and instructions lowering appends, and the functions it records.
struct LoweringBuilder {
    var lowered = LoweredProgram()

    mutating func register(_ shape: [Int], encrypted: Bool, node: Int) -> Int {
        lowered.program.registers.append(Program.Register(shape: shape, isEncrypted: encrypted))
        lowered.registerNode.append(node)
        return lowered.program.registers.count - 1
    }

    mutating func emit(_ instruction: Program.Instruction) { lowered.program.instructions.append(instruction) }

    /// A lookup of `input` computing `function` (one table per element when `perElement`).
    mutating func lookup(_ input: Int, node: Int, perElement: Bool = false, _ function: @escaping LookupFunction) -> Int {
        let destination = register(lowered.program.registers[input].shape, encrypted: true, node: node)
        emit(.lookup(destination, input, table: []))
        lowered.functions[destination] = function
        if perElement { lowered.perElement.insert(destination) }
        return destination
    }

    /// `make(destination, a, b)` into a new encrypted register of `shape`.
    mutating func combine(_ make: (Int, Int, Int) -> Program.Instruction, _ a: Int, _ b: Int, shape: [Int], node: Int) -> Int {
        let destination = register(shape, encrypted: true, node: node)
        emit(make(destination, a, b))
        return destination
    }

    /// A clear scalar constant.
    mutating func constant(_ value: Int64, node: Int) -> Int {
        let destination = register([], encrypted: false, node: node)
        emit(.constant(destination, Tensor(int64: [value], shape: [])))
        return destination
    }

    /// `a` times the clear scalar `factor` (`a` itself for 1).
    mutating func scaled(_ a: Int, by factor: Int64, node: Int) -> Int {
        guard factor != 1 else { return a }
        let destination = register(lowered.program.registers[a].shape, encrypted: true, node: node)
        emit(.multiply(destination, encrypted: a, clear: constant(factor, node: node)))
        return destination
    }

    /// `a` plus the clear scalar `value` (`a` itself for 0).
    mutating func offset(_ a: Int, by value: Int64, node: Int) -> Int {
        guard value != 0 else { return a }
        return combine(Program.Instruction.add, a, constant(value, node: node), shape: lowered.program.registers[a].shape, node: node)
    }

    /// The sum of encrypted registers of one shape.
    mutating func sum(_ terms: [Int], node: Int) -> Int {
        terms.dropFirst().reduce(terms[0]) { combine(Program.Instruction.add, $0, $1, shape: lowered.program.registers[$0].shape, node: node) }
    }
}

extension Graph {
    /// The range of every node that lowering needs before bounds are measured on the program:
    /// the operands and result of each operation of two variables that needs lookups (their
    /// packing in one lookup, and the chunked lowering, depend on them). Evaluates the graph on
    /// the inputset only when there is one.
    func rangesForLowering(inputset: [[Tensor]]) throws -> [Int: ClosedRange<Int64>] {
        let needed = nodes.indices.filter { needsLookupOfTwoVariables($0) || isComparisonWithClear($0) }
            .flatMap { nodes[$0].inputs.map(\.index) + [$0] }
        guard !needed.isEmpty else { return [:] }
        let bounds = try nodeBounds(inputset: inputset)
        return try Dictionary(uniqueKeysWithValues: Set(needed).map { node in
            guard let range = bounds[node] else {
                throw CompilationError.invalidOperation("this operation needs an integer operand", location: nodes[node].location)
            }
            return (node, range)
        })
    }

    /// Whether node `index` is an encrypted operation of two variables that needs lookups.
    private func needsLookupOfTwoVariables(_ index: Int) -> Bool {
        guard case let .binary(operation) = nodes[index].operation, nodes[index].isEncrypted, isBivariate(index) else { return false }
        return operation.isComparison || [.minimum, .maximum, .multiply, .bitwiseAnd, .bitwiseOr, .bitwiseXor, .leftShift, .rightShift]
            .contains(operation) && !(operation == .multiply && nodes[index].inputs.contains { !nodes[$0.index].isEncrypted })
    }

    /// Whether node `index` is an operation of two encrypted variables that needs lookups (its
    /// lowering depends on their ranges).
    private func isEncryptedBivariate(_ index: Int) -> Bool {
        needsLookupOfTwoVariables(index) && nodes[index].inputs.allSatisfy { nodes[$0.index].isEncrypted }
    }

    /// Whether node `index` is a comparison of an encrypted value with a clear one (a clear
    /// argument or a constant).
    private func isComparisonWithClear(_ index: Int) -> Bool {
        guard case let .binary(operation) = nodes[index].operation, operation.isComparison, nodes[index].isEncrypted,
              Set(nodes[index].inputs).count == 2 else { return false }
        return nodes[index].inputs.filter { nodes[$0.index].isEncrypted }.count == 1
    }

    /// Whether the lowering of node `index` depends on the strategy: an operation of two
    /// encrypted values, or a comparison of an encrypted value wider than
    /// `Limits.defaultLookupBitWidth` bits with a clear one (one lookup of it would need a large
    /// polynomial; its rounded difference needs small ones). `ranges` from `rangesForLowering`.
    func dependsOnStrategy(_ index: Int, ranges: [Int: ClosedRange<Int64>]) -> Bool {
        if isEncryptedBivariate(index) { return true }
        guard isComparisonWithClear(index), let encrypted = nodes[index].inputs.first(where: { nodes[$0.index].isEncrypted }),
              let range = ranges[encrypted.index] else { return false }
        return IntegerType.covering(range).width > Limits.defaultLookupBitWidth
    }

    /// Whether node `index` is a binary operation of two distinct variables (no constant).
    private func isBivariate(_ index: Int) -> Bool {
        Set(nodes[index].inputs).count == 2 && !nodes[index].inputs.contains(where: { isConstant($0.index) })
    }

    /// Lowers the graph, operations of two encrypted values by `strategy` (`oneLookup` or
    /// `chunked`). `ranges` holds the nodes' ranges that lowering needs (`rangesForLowering`).
    func lowered(ranges: [Int: ClosedRange<Int64>], strategy: MultivariateStrategy = .oneLookup) throws -> LoweredProgram {
        var builder = LoweringBuilder()
        for index in nodes.indices {
            let operands = nodes[index].inputs.map { builder.lowered.nodeRegister[$0.index] }
            let destination = nodes[index].isEncrypted
                ? try lowerEncrypted(index, operands, ranges: ranges, strategy: strategy, into: &builder)
                : lowerClear(index, operands, into: &builder)
            builder.lowered.nodeRegister.append(destination)
        }
        builder.lowered.program.arguments = inputs.map { builder.lowered.nodeRegister[$0.index] }
        builder.lowered.program.result = builder.lowered.nodeRegister[output.index]
        builder.lowered.keepApproximateRoundingsBeforeLookups()
        return builder.lowered
    }

    /// A clear node: an argument, a constant, or a clear instruction; a Swift function (`apply`)
    /// becomes a table over its input's type, filled once types are known.
    private func lowerClear(_ index: Int, _ operands: [Int], into builder: inout LoweringBuilder) -> Int {
        let node = nodes[index]
        let destination = builder.register(node.shape, encrypted: false, node: index)
        switch node.operation {
        case let .input(argument, _): builder.emit(.argument(destination, index: argument))
        case let .constant(tensor): builder.emit(.constant(destination, tensor))
        default:
            if let operation = node.operation.clearOperation {
                builder.emit(.clear(destination, operation, operands))
            } else {
                let operation = node.operation
                builder.emit(.clear(destination, .lookupTable([]), operands))
                builder.lowered.clearFunctions[destination] = { value in
                    guard case let .integer(_, elements) = try Evaluator.evaluate(operation, shape: [], [.integer(shape: [], elements: [value])])
                    else { throw EvaluationFailure("\(operation.name) does not give an integer") }
                    return elements[0]
                }
            }
        }
        return destination
    }

    /// An encrypted node: levelled instructions and lookups (the table of `LoweredProgram`).
    private func lowerEncrypted(_ index: Int, _ operands: [Int], ranges: [Int: ClosedRange<Int64>], strategy: MultivariateStrategy,
                                into builder: inout LoweringBuilder) throws -> Int {
        let node = nodes[index]
        let encrypted = node.inputs.map { nodes[$0.index].isEncrypted }
        if case let .chunked(bits) = strategy, case let .binary(operation) = node.operation, dependsOnStrategy(index, ranges: ranges),
           let chunked = try lowerChunked(operation, node: index, operands[0], operands[1], chunkBits: bits, ranges: ranges,
                                          into: &builder) {
            return chunked
        }
        switch node.operation {
        case let .input(argument, _):
            let destination = builder.register(node.shape, encrypted: true, node: index)
            builder.emit(.argument(destination, index: argument))
            return destination
        case .binary(.add), .binary(.subtract), .unary(.negate), .sum, .dot, .matmul, .reshape, .transpose, .index,
             .concatenate, .linear:
            let destination = builder.register(node.shape, encrypted: true, node: index)
            builder.emit(levelled(node.operation, destination, operands))
            return destination
        case .roundBitPattern(0, _):
            return operands[0]
        case let .roundBitPattern(bits, exactness):
            let destination = builder.register(node.shape, encrypted: true, node: index)
            // Exact steps are chosen later; approximate roundings that a non-lookup reads become exact.
            builder.emit(.round(destination, operands[0], lsbsToRemove: bits,
                                bitsPerStep: exactness == .approximate ? RoundingStep.approximate : bits))
            return destination
        case .binary(.multiply) where encrypted.contains(false):
            let destination = builder.register(node.shape, encrypted: true, node: index)
            builder.emit(.multiply(destination, encrypted: operands[encrypted[0] ? 0 : 1], clear: operands[encrypted[0] ? 1 : 0]))
            return destination
        case let .binary(operation) where isBivariate(index):
            return try lowerBivariate(operation, node: index, operands, ranges: ranges, into: &builder)
        default:
            let (function, perElement) = try univariateFunction(index)
            return builder.lookup(operands[0], node: index, perElement: perElement, function)
        }
    }

    private func levelled(_ operation: Operation, _ destination: Int, _ operands: [Int]) -> Program.Instruction {
        switch operation {
        case .binary(.add): .add(destination, operands[0], operands[1])
        case .binary(.subtract): .subtract(destination, operands[0], operands[1])
        case .unary(.negate): .negate(destination, operands[0])
        case let .sum(axis): .sum(destination, operands[0], axis: axis)
        case let .dot(weights): .dot(destination, operands[0], weights: weights)
        case let .matmul(matrix): .matmul(destination, operands[0], matrix: matrix)
        case let .reshape(shape): .reshape(destination, operands[0], shape: shape)
        case .transpose: .transpose(destination, operands[0])
        case let .index(i): .index(destination, operands[0], i)
        case let .linear(operation): .linear(destination, operands[0], operation)
        default: .concatenate(destination, operands)
        }
    }

    private func isConstant(_ index: Int) -> Bool {
        if case .constant = nodes[index].operation { return true }
        return false
    }

    /// The function a univariate lookup node computes on one value of its variable input at one
    /// element position: the node's own clear semantics, with its constants in place (a tensor
    /// constant contributes its element at that position, broadcast to the node's shape; the
    /// lookup then has one table per element).
    private func univariateFunction(_ index: Int) throws -> (LookupFunction, perElement: Bool) {
        let node = nodes[index], operation = node.operation, shape = node.shape
        if case let .lookupTables(tables) = operation {
            return ({ position, x in try Evaluator.entry(tables[position], x) }, perElement: true)
        }
        let constants: [[Int64]?] = try node.inputs.map { input in
            guard case let .constant(tensor) = nodes[input.index].operation else { return nil }
            guard let broadcast = ShapeInference.broadcast(tensor.shape, shape), broadcast == shape else {
                throw CompilationError.invalidOperation("a constant of shape \(tensor.shape) does not broadcast to \(shape)",
                                                        location: node.location)
            }
            return broadcastPairs(tensor.elements, tensor.shape, [0], [], to: shape) { element, _ in element }   // the constant at each position
        }
        let perElement = node.inputs.contains { input in
            if case let .constant(tensor) = nodes[input.index].operation { return !tensor.isScalar }
            return false
        }
        let function: LookupFunction = { position, x in
            let operands = constants.map { elements -> Value in
                .integer(shape: [], elements: [elements.map { $0[perElement ? position : 0] } ?? x])
            }
            guard case let .integer(_, elements) = try Evaluator.evaluate(operation, shape: [], operands) else {
                throw EvaluationFailure("\(operation.name) does not give an integer")
            }
            return elements[0]
        }
        return (function, perElement)
    }

    /// Lowers an operation of two variables (see the table of `LoweredProgram`).
    private func lowerBivariate(_ operation: BinaryOperation, node index: Int, _ operands: [Int],
                                ranges: [Int: ClosedRange<Int64>], into builder: inout LoweringBuilder) throws -> Int {
        let shape = nodes[index].shape
        let (x, y) = (operands[0], operands[1])
        func difference() -> Int { builder.combine(Program.Instruction.subtract, x, y, shape: shape, node: index) }
        func lookup(_ input: Int, _ function: @escaping @Sendable (Int64) throws -> Int64) -> Int {
            builder.lookup(input, node: index) { _, value in try function(value) }
        }
        switch operation {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
            return lookup(difference()) { try Evaluator.integer(operation, $0, 0) }
        case .minimum, .maximum:
            let extreme = lookup(difference()) { operation == .minimum ? min($0, 0) : max($0, 0) }
            return builder.combine(Program.Instruction.add, y, extreme, shape: shape, node: index)
        case .multiply:
            let quarterSquare: @Sendable (Int64) throws -> Int64 = { v in
                let (square, overflow) = v.multipliedReportingOverflow(by: v)
                if overflow { throw EvaluationFailure("multiply overflows 64-bit integers") }
                return square >> 2   // ⌊v²/4⌋
            }
            let sum = builder.combine(Program.Instruction.add, x, y, shape: shape, node: index)
            let high = lookup(sum, quarterSquare)
            let low = lookup(difference(), quarterSquare)
            return builder.combine(Program.Instruction.subtract, high, low, shape: shape, node: index)
        case .bitwiseAnd, .bitwiseOr, .bitwiseXor, .leftShift, .rightShift:
            let yRange = ranges[nodes[index].inputs[1].index]!
            let span = yRange.upperBound - yRange.lowerBound
            let shift = span == 0 ? 0 : 64 - span.leadingZeroBitCount, low = yRange.lowerBound
            // x·2^w + (y − min y): each element one index of a table of both operands.
            let xNode = nodes[nodes[index].inputs[0].index]
            let scale = builder.constant(1 << shift, node: index)
            let scaled = builder.register(xNode.shape, encrypted: xNode.isEncrypted, node: index)
            builder.emit(xNode.isEncrypted ? .multiply(scaled, encrypted: x, clear: scale) : .clear(scaled, .binary(.multiply), [x, scale]))
            var offset = y
            if low != 0 {
                let lowest = builder.constant(low, node: index)
                offset = builder.combine(Program.Instruction.subtract, y, lowest, shape: shape, node: index)
            }
            let packed = builder.combine(Program.Instruction.add, scaled, offset, shape: shape, node: index)
            let mask = (Int64(1) << shift) - 1
            return lookup(packed) { t in try Evaluator.integer(operation, t >> shift, (t & mask) + low) }
        default:
            throw CompilationError.invalidOperation(
                "\(operation.rawValue) of two encrypted values is not supported: apply it to one encrypted value and a constant",
                location: nodes[index].location)
        }
    }
}
