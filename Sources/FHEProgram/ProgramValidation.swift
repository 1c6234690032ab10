import FHEParameters

extension Program {
    /// The largest tensor a register may hold (`Limits.maximumTensorElements`).
    public static let maximumElements = Limits.maximumTensorElements
    /// The widest lookup input a program may have: a bound on table sizes
    /// (`Limits.maximumProgramLookupBitWidth`).
    public static let maximumLookupWidth = Limits.maximumProgramLookupBitWidth

    /// Checks everything a runtime relies on, so that running a program read from elsewhere
    /// throws instead of trapping: register indices in range, each register written once before
    /// it is read, encrypted and clear operands where each instruction expects them, operation
    /// arities, shapes (by the same inference as tracing), a type for every integer register
    /// that a runtime encodes, lookup tables of 2^width entries within the result's type, and
    /// constants within their register's type.
    /// - Throws: `InvalidProgram` naming the first instruction that is wrong.
    public func validate(registerTypes: [IntegerType?]) throws {
        guard registerTypes.count == registers.count else {
            throw InvalidProgram("\(registers.count) registers but \(registerTypes.count) register types")
        }
        for (index, register) in registers.enumerated() {
            guard register.shape.count <= Limits.maximumTensorRank, register.shape.allSatisfy({ $0 <= Self.maximumElements }), let count = Tensor.checkedElementCount(of: register.shape), count <= Self.maximumElements
            else { throw InvalidProgram("register \(index) has shape \(register.shape)") }
            if let type = registerTypes[index], !(1...Limits.maximumIntegerBitWidth).contains(type.width) {
                throw InvalidProgram("register \(index) has type \(type)")
            }
            if register.isEncrypted, registerTypes[index] == nil {
                throw InvalidProgram("encrypted register \(index) has no integer type")
            }
        }
        var defined = [Bool](repeating: false, count: registers.count)
        var rounded = [Int: Int]()
        for (position, instruction) in instructions.enumerated() {
            do {
                try check(instruction, defined: defined, registerTypes: registerTypes, rounded: rounded)
                if case let .round(destination, _, lsbs, _) = instruction { rounded[destination] = lsbs }
            } catch let invalid as InvalidProgram {
                throw InvalidProgram("instruction \(position): \(invalid.message)")
            }
            defined[instruction.destination] = true
        }
        try checkApproximateRoundings()
        guard Set(arguments).count == arguments.count, arguments.allSatisfy({ defined.indices.contains($0) && defined[$0] }) else {
            throw InvalidProgram("the arguments \(arguments) are not distinct argument registers")
        }
        guard defined.indices.contains(result), defined[result], registerTypes[result] != nil else {
            throw InvalidProgram("the result register \(result) is never written or is not an integer")
        }
    }

    private func check(_ instruction: Instruction, defined: [Bool], registerTypes: [IntegerType?], rounded: [Int: Int]) throws {
        let destination = instruction.destination, operands = instruction.operands
        guard registers.indices.contains(destination), !defined[destination] else {
            throw InvalidProgram("destination register \(destination) is out of range or written twice")
        }
        guard operands.allSatisfy({ registers.indices.contains($0) && defined[$0] }) else {
            throw InvalidProgram("it reads a register that is out of range or not yet written (\(operands))")
        }
        let shape = registers[destination].shape, encrypted = registers[destination].isEncrypted
        func isEncrypted(_ register: Int) -> Bool { registers[register].isEncrypted }
        switch instruction {
        case let .argument(_, index):
            try require(arguments.indices.contains(index) && arguments[index] == destination && registerTypes[destination] != nil,
                        "argument \(index) does not match the program's argument registers")
        case let .constant(_, tensor):
            try require(!encrypted && tensor.shape == shape, "a constant of shape \(tensor.shape) in a register of shape \(shape)")
            if let type = registerTypes[destination] {
                try require(tensor.elements.allSatisfy(type.contains), "a constant outside its register's type \(type)")
            }
        case .add, .subtract:
            try require(encrypted && operands.contains(where: isEncrypted), "an addition needs an encrypted operand and result")
            try require(operands.allSatisfy { registerTypes[$0] != nil }, "an addition of a non-integer operand")
            try requireShape(of: instruction.levelledOperation!, operands, destination)
        case let .multiply(_, factor, clearFactor):
            try require(encrypted && isEncrypted(factor) && !isEncrypted(clearFactor) && registerTypes[clearFactor] != nil,
                        "a product needs one encrypted and one clear integer operand")
            try requireShape(of: instruction.levelledOperation!, operands, destination)
        case .negate, .sum, .dot, .matmul, .reshape, .transpose, .index, .linear:
            try require(encrypted && isEncrypted(operands[0]), "a levelled operation on a clear operand")
            try requireShape(of: instruction.levelledOperation!, operands, destination)
        case let .concatenate(_, parts):
            try require(encrypted && !parts.isEmpty && parts.allSatisfy { registerTypes[$0] != nil },
                        "a concatenation needs integer parts and an encrypted result")
            try requireShape(of: .concatenate, operands, destination)
        case let .lookup(_, input, table):
            try checkLookup(destination, input, table, registerTypes: registerTypes, rounded: rounded)
        case let .round(_, input, lsbs, bitsPerStep):
            try checkRound(destination, input, lsbs: lsbs, bitsPerStep: bitsPerStep, registerTypes: registerTypes)
        case let .decompose(_, input, chunkBits, bitsPerStep):
            try checkDecomposition(destination, input, chunkBits: chunkBits, bitsPerStep: bitsPerStep, registerTypes: registerTypes)
        case let .clear(_, operation, inputs):
            try checkClear(destination, operation, inputs)
        }
    }

    /// The operation's inferred shape on `operands` is the destination's.
    private func requireShape(of operation: ClearOperation, _ operands: [Int], _ destination: Int) throws {
        let shape = registers[destination].shape
        switch ShapeInference.shape(of: operation, operands: operands.map { registers[$0].shape }) {
        case let .success(inferred): try require(inferred == shape, "\(operation.name) gives shape \(inferred), not \(shape)")
        case let .failure(error): throw InvalidProgram(error.message)
        }
    }

    /// An encrypted input of at most `maximumLookupWidth` bits (after a rounding), 2^width
    /// entries (or as many per element) within the result's type, the shape kept.
    private func checkLookup(_ destination: Int, _ input: Int, _ table: [Int64], registerTypes: [IntegerType?],
                             rounded: [Int: Int]) throws {
        guard registers[destination].isEncrypted, registers[input].isEncrypted,
              let type = registerTypes[input]?.narrowed(by: rounded[input] ?? 0), type.width <= Self.maximumLookupWidth else {
            throw InvalidProgram("a lookup needs an encrypted input of at most \(Self.maximumLookupWidth) bits")
        }
        let entries = 1 << type.width
        try require((table.count == entries || table.count == entries * registers[destination].elementCount)
                    && registers[input].shape == registers[destination].shape,
                    "a lookup of a \(type.width)-bit input needs \(entries) entries (or as many per element) and keeps the shape")
        let output = registerTypes[destination]!
        try require(table.allSatisfy(output.contains), "a lookup table holds values outside its result type \(output)")
    }

    /// The runtime's steps rely on the result sharing the input's encoding.
    private func checkRound(_ destination: Int, _ input: Int, lsbs: Int, bitsPerStep: Int, registerTypes: [IntegerType?]) throws {
        guard registers[destination].isEncrypted, registers[input].isEncrypted, registers[input].shape == registers[destination].shape,
              let type = registerTypes[input], registerTypes[destination] == type, (1..<type.width).contains(lsbs),
              bitsPerStep == RoundingStep.approximate || (1...min(lsbs, Self.maximumLookupWidth + 1)).contains(bitsPerStep) else {
            throw InvalidProgram("a rounding needs an encrypted input of the result's type and shape, 1 ≤ lsbs < width "
                                 + "and 1 ≤ bits per step ≤ lsbs (0: approximate)")
        }
    }

    /// Encrypted input and result, the chunks on a new first axis, steps and a top chunk that
    /// lookups can run, and a result type that holds every lower chunk.
    private func checkDecomposition(_ destination: Int, _ input: Int, chunkBits: Int, bitsPerStep: Int,
                                    registerTypes: [IntegerType?]) throws {
        let shape = registers[destination].shape
        guard registers[destination].isEncrypted, registers[input].isEncrypted, let type = registerTypes[input],
              let chunkType = registerTypes[destination], (1...Self.maximumLookupWidth).contains(chunkBits),
              (1...min(chunkBits, Self.maximumLookupWidth + 1)).contains(bitsPerStep),
              shape.count == registers[input].shape.count + 1, Array(shape.dropFirst()) == registers[input].shape,
              let count = shape.first, count >= 1 else {
            throw InvalidProgram("a decomposition needs an encrypted input, an encrypted result of shape [chunks] + the input's, "
                                 + "1 ≤ chunk bits ≤ \(Self.maximumLookupWidth) and 1 ≤ bits per step ≤ chunk bits")
        }
        let decomposition = Decomposition(chunkBits: chunkBits, chunkCount: count)
        try require(decomposition.topLow < type.width && decomposition.topInputType(type).width <= Self.maximumLookupWidth,
                    "a decomposition of a \(type.width)-bit value into \(count) chunks of \(chunkBits) bits leaves a top chunk "
                        + "outside 1…\(Self.maximumLookupWidth) bits")
        try require(count == 1 || chunkType.contains((1 << Int64(chunkBits)) - 1),
                    "chunks of \(chunkBits) bits do not fit the result type \(chunkType)")
    }

    /// An approximate rounding leaves the low bits in place: only lookups may read its result,
    /// and it is not the program's result.
    private func checkApproximateRoundings() throws {
        var approximate = Set<Int>()
        for case let .round(destination, _, _, RoundingStep.approximate) in instructions { approximate.insert(destination) }
        if let read = approximate.intersection(registersReadOutsideLookups).min() {
            throw InvalidProgram("register \(read), an approximate rounding, is read by something other than a lookup or is the result")
        }
    }

    /// Clear operands and result, the operation's arity and shape.
    private func checkClear(_ destination: Int, _ operation: ClearOperation, _ inputs: [Int]) throws {
        let shape = registers[destination].shape
        try require(!registers[destination].isEncrypted && !inputs.contains { registers[$0].isEncrypted },
                    "a clear operation on encrypted values")
        switch operation {
        case let .constant(tensor): try require(inputs.isEmpty && tensor.shape == shape, "a constant with operands or of another shape")
        case .floatConstant: try require(inputs.isEmpty && shape.isEmpty, "a float constant with operands or a shape")
        default:
            try require(operation.arity.map { inputs.count == $0 } ?? !inputs.isEmpty,
                        "\(operation.name) needs \(operation.arity.map(String.init) ?? "one or more") operands")
        }
        if !inputs.isEmpty { try requireShape(of: operation, inputs, destination) }
    }
}

/// Throws `InvalidProgram(message)` unless `condition` holds.
private func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw InvalidProgram(message()) }
}
