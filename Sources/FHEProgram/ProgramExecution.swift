/// Running a program in the clear, exactly (for bounds) or with the FHE encoding (`simulate`).
extension Program {
    /// How lookups and encrypted registers behave during a run.
    package struct Semantics {
        /// The result of lookup instruction `destination` on one input value at one element position.
        package let lookup: (_ destination: Int, _ position: Int, _ value: Int64) throws -> Int64
        /// Reduces the elements of encrypted register `register` to its encoding, or leaves them.
        package let encode: (_ register: Int, _ elements: [Int64]) -> [Int64]
        /// Overflows in levelled instructions: errors (exact values) or wrapping (the encoding).
        package let levelledArithmetic: Evaluator.Arithmetic
        /// The function of clear table instruction `destination` whose table is not filled yet
        /// (a compiler measuring bounds before it knows the input's type), or nil: the table.
        package let clearFunction: (_ destination: Int) -> (@Sendable (Int64) throws -> Int64)?
        /// The chunks decomposition instruction `destination` gives for one input element.
        package let decompose: (_ destination: Int, _ value: Int64) -> [Int64]

        package init(lookup: @escaping (Int, Int, Int64) throws -> Int64, encode: @escaping (Int, [Int64]) -> [Int64],
                     levelledArithmetic: Evaluator.Arithmetic,
                     clearFunction: @escaping (Int) -> (@Sendable (Int64) throws -> Int64)? = { _ in nil },
                     decompose: @escaping (Int, Int64) -> [Int64]) {
            self.lookup = lookup
            self.decompose = decompose
            self.encode = encode
            self.levelledArithmetic = levelledArithmetic
            self.clearFunction = clearFunction
        }
    }

    /// The value of every register after running on `arguments` (nil for float registers).
    package func run(_ arguments: [Tensor], _ semantics: Semantics) throws -> [Value?] {
        guard arguments.count == self.arguments.count else {
            throw EvaluationError("expected \(self.arguments.count) arguments, got \(arguments.count)")
        }
        var values = [Value?](repeating: nil, count: registers.count)
        for instruction in instructions {
            let destination = instruction.destination, shape = registers[destination].shape
            let operands = instruction.operands.map { values[$0]! }
            var value: Value
            do {
                switch instruction {
                case let .argument(_, index):
                    guard arguments[index].shape == shape else {
                        throw EvaluationFailure("argument \(index) has shape \(arguments[index].shape), expected \(shape)")
                    }
                    value = Value(arguments[index])
                case let .constant(_, tensor): value = Value(tensor)
                case .clear(_, .lookupTable, _) where semantics.clearFunction(destination) != nil:
                    let function = semantics.clearFunction(destination)!
                    value = .integer(shape: shape, elements: try Evaluator.integers(operands[0], "a table lookup").map(function))
                case let .clear(_, operation, _): value = try Evaluator.evaluate(operation, shape: shape, operands)
                case .lookup:
                    value = .integer(shape: shape, elements: try Evaluator.integers(operands[0], "a table lookup").enumerated().map {
                        try semantics.lookup(destination, $0.offset, $0.element)
                    })
                case .decompose:
                    let chunks = try Evaluator.integers(operands[0], "a decomposition").map { semantics.decompose(destination, $0) }
                    value = .integer(shape: shape, elements: (0..<shape[0]).flatMap { j in chunks.map { $0[j] } })   // chunks first
                default:
                    value = try Evaluator.evaluate(instruction.levelledOperation!, shape: shape, operands,
                                                   arithmetic: semantics.levelledArithmetic)
                }
            } catch let failure as EvaluationFailure {
                throw EvaluationError(failure.message)
            }
            if registers[destination].isEncrypted, case let .integer(shape, elements) = value {
                value = .integer(shape: shape, elements: semantics.encode(destination, elements))
            }
            values[destination] = value
        }
        return values
    }
}

extension Program.Instruction {
    /// The clear operation a levelled instruction computes (its operands in order).
    public var levelledOperation: ClearOperation? {
        switch self {
        case .add: .binary(.add)
        case .subtract: .binary(.subtract)
        case .negate: .unary(.negate)
        case .multiply: .binary(.multiply)
        case let .sum(_, _, axis): .sum(axis: axis)
        case let .dot(_, _, weights): .dot(weights)
        case let .matmul(_, _, matrix): .matmul(matrix)
        case let .reshape(_, _, shape): .reshape(shape)
        case .transpose: .transpose
        case let .index(_, _, i): .index(i)
        case .concatenate: .concatenate
        case let .linear(_, _, operation): .linear(operation)
        case let .round(_, _, lsbs, _): .roundBitPattern(lsbsToRemove: lsbs)
        case .argument, .constant, .lookup, .clear, .decompose: nil
        }
    }
}
