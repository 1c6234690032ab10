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
/// bit-width check reports it when that exceeds the supported lookup width.
struct LoweredProgram {
    var program = Program()
    /// The exact function of each lookup instruction (by destination register), for bounds and
    /// tables: the result for one input value at one element position.
    var functions: [Int: LookupFunction] = [:]
    /// The lookups whose function depends on the element position (a tensor constant): one
    /// table per element.
    var perElement: Set<Int> = []
    /// The register holding each graph node's value.
    var nodeRegister: [Int] = []
    /// The graph node each register was made for (for diagnostics).
    var registerNode: [Int] = []
}

/// The result of a lookup for one input value at one element position.
typealias LookupFunction = @Sendable (_ position: Int, _ value: Int64) throws -> Int64

extension Graph {
    /// Lowers the graph. `range(node)` gives a node's bounds on the inputset, for lowerings
    /// that depend on an operand's range (asked only when one is needed).
    func lowered(range: (Int) throws -> ClosedRange<Int64>) throws -> LoweredProgram {
        var lowered = LoweredProgram()
        func register(_ shape: [Int], encrypted: Bool, node: Int) -> Int {
            lowered.program.registers.append(Program.Register(shape: shape, isEncrypted: encrypted))
            lowered.registerNode.append(node)
            return lowered.program.registers.count - 1
        }
        func emit(_ instruction: Program.Instruction) { lowered.program.instructions.append(instruction) }
        func lookup(_ input: Int, node: Int, _ function: @escaping @Sendable (Int64) throws -> Int64) -> Int {
            lookupAt(input, node: node, perElement: false) { _, value in try function(value) }
        }
        func lookupAt(_ input: Int, node: Int, perElement: Bool, _ function: @escaping LookupFunction) -> Int {
            let destination = register(lowered.program.registers[input].shape, encrypted: true, node: node)
            emit(.lookup(destination, input, table: []))
            lowered.functions[destination] = function
            if perElement { lowered.perElement.insert(destination) }
            return destination
        }

        for (index, node) in nodes.enumerated() {
            let operands = node.inputs.map { lowered.nodeRegister[$0.index] }
            let destination: Int
            if !node.isEncrypted {
                destination = register(node.shape, encrypted: false, node: index)
                switch node.operation {
                case let .input(argument, _): emit(.argument(destination, index: argument))
                case let .constant(tensor): emit(.constant(destination, tensor))
                default: emit(.clear(destination, node.operation, operands))
                }
                lowered.nodeRegister.append(destination)
                continue
            }
            let encrypted = node.inputs.map { nodes[$0.index].isEncrypted }
            switch node.operation {
            case let .input(argument, _):
                destination = register(node.shape, encrypted: true, node: index)
                emit(.argument(destination, index: argument))
            case .binary(.add), .binary(.subtract), .unary(.negate), .sum, .dot, .matmul, .reshape, .transpose, .index,
                 .concatenate:
                destination = register(node.shape, encrypted: true, node: index)
                emit(levelled(node.operation, destination, operands))
            case let .roundBitPattern(bits):
                if bits == 0 {
                    destination = operands[0]
                } else {
                    destination = register(node.shape, encrypted: true, node: index)
                    emit(.round(destination, operands[0], lsbsToRemove: bits, bitsPerStep: bits))   // steps chosen at compile
                }
            case .binary(.multiply) where encrypted.contains(false):
                destination = register(node.shape, encrypted: true, node: index)
                emit(.multiply(destination, encrypted: operands[encrypted[0] ? 0 : 1], clear: operands[encrypted[0] ? 1 : 0]))
            case let .binary(operation) where Set(node.inputs).count == 2 && !node.inputs.contains(where: { isConstant($0.index) }):
                destination = try lowerBivariate(operation, node: index, operands, range: range, register: register, emit: emit,
                                                 lookup: lookup)
            default:
                let (function, perElement) = try univariateFunction(index)
                destination = lookupAt(operands[0], node: index, perElement: perElement, function)
            }
            lowered.nodeRegister.append(destination)
        }
        lowered.program.arguments = inputs.map { lowered.nodeRegister[$0.index] }
        lowered.program.result = lowered.nodeRegister[output.index]
        return lowered
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
    private func lowerBivariate(
        _ operation: BinaryOperation, node index: Int, _ operands: [Int], range: (Int) throws -> ClosedRange<Int64>,
        register: ([Int], Bool, Int) -> Int, emit: (Program.Instruction) -> Void,
        lookup: (Int, Int, @escaping @Sendable (Int64) throws -> Int64) -> Int
    ) throws -> Int {
        let shape = nodes[index].shape
        let (x, y) = (operands[0], operands[1])
        func combine(_ make: (Int, Int, Int) -> Program.Instruction, _ a: Int, _ b: Int) -> Int {
            let destination = register(shape, true, index)
            emit(make(destination, a, b))
            return destination
        }
        func difference() -> Int { combine(Program.Instruction.subtract, x, y) }
        switch operation {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
            return lookup(difference(), index) { try Evaluator.integer(operation, $0, 0) }
        case .minimum:
            return combine(Program.Instruction.add, y, lookup(difference(), index) { min($0, 0) })
        case .maximum:
            return combine(Program.Instruction.add, y, lookup(difference(), index) { max($0, 0) })
        case .multiply:
            let sum = combine(Program.Instruction.add, x, y)
            let quarterSquare: @Sendable (Int64) throws -> Int64 = { v in
                let (square, overflow) = v.multipliedReportingOverflow(by: v)
                if overflow { throw EvaluationFailure("multiply overflows 64-bit integers") }
                return square >> 2   // ⌊v²/4⌋
            }
            let high = lookup(sum, index, quarterSquare)
            let low = lookup(difference(), index, quarterSquare)
            return combine(Program.Instruction.subtract, high, low)
        case .bitwiseAnd, .bitwiseOr, .bitwiseXor, .leftShift, .rightShift:
            let yRange = try range(nodes[index].inputs[1].index)
            let span = yRange.upperBound - yRange.lowerBound
            let shift = span == 0 ? 0 : 64 - span.leadingZeroBitCount, low = yRange.lowerBound
            func constant(_ value: Int64) -> Int {
                let destination = register([], false, index)
                emit(.constant(destination, Tensor(int64: [value], shape: [])))
                return destination
            }
            // x·2^w + (y − min y): each element one index of a table of both operands.
            let xNode = nodes[nodes[index].inputs[0].index]
            let scaled = register(xNode.shape, xNode.isEncrypted, index)
            emit(xNode.isEncrypted ? .multiply(scaled, encrypted: x, clear: constant(1 << shift))
                                   : .clear(scaled, .binary(.multiply), [x, constant(1 << shift)]))
            let offset = low == 0 ? y : combine(Program.Instruction.subtract, y, constant(low))
            let packed = combine(Program.Instruction.add, scaled, offset)
            let mask = (Int64(1) << shift) - 1
            return lookup(packed, index) { t in try Evaluator.integer(operation, t >> shift, (t & mask) + low) }
        default:
            throw CompilationError.invalidOperation(
                "\(operation.rawValue) of two encrypted values is not supported: apply it to one encrypted value and a constant",
                location: nodes[index].location)
        }
    }
}
