import FHEOptimizer

/// Bounds, integer types and noise of a lowered program.
extension LoweredProgram {
    /// Each register's [min, max] over the inputset (nil for floats), running exactly.
    /// - Throws: `CompilationError.inputset` for an empty inputset, a wrong arity or shape.
    func bounds(inputset: [[Tensor]], graph: Graph) throws -> [ClosedRange<Int64>?] {
        guard !inputset.isEmpty else {
            throw CompilationError.inputset("the inputset is empty: give at least one sample, as typical as possible, "
                                            + "so that every value's range can be measured")
        }
        var result = [ClosedRange<Int64>?](repeating: nil, count: program.registers.count)
        for (number, sample) in inputset.enumerated() {
            guard sample.count == program.arguments.count else {
                throw CompilationError.inputset("sample \(number) has \(sample.count) arguments, the function takes \(program.arguments.count)")
            }
            for (argument, input) in zip(sample, graph.inputs) where argument.shape != graph[input].shape {
                throw CompilationError.inputset(
                    "sample \(number): argument '\(graph[input].operation.inputName)' has shape \(argument.shape), "
                        + "expected \(graph[input].shape) like the first sample")
            }
            for (register, value) in try program.run(sample, exactSemantics).enumerated() {
                guard let elements = value?.integers, let low = elements.min(), let high = elements.max() else { continue }
                result[register] = result[register].map { min($0.lowerBound, low)...max($0.upperBound, high) } ?? low...high
            }
        }
        return result
    }

    /// Each integer register's type: the encrypted registers that levelled instructions combine
    /// share one encoding, so each such group gets the type covering all its members.
    func integerTypes(bounds: [ClosedRange<Int64>?]) -> [IntegerType?] {
        var parent = Array(program.registers.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        for instruction in program.instructions where instruction.isLevelled {
            for operand in instruction.operands where program.registers[operand].isEncrypted {
                parent[find(operand)] = find(instruction.destination)
            }
        }
        var groupRange = [Int: ClosedRange<Int64>]()
        for (register, range) in bounds.enumerated() where program.registers[register].isEncrypted {
            guard let range else { continue }
            let root = find(register)
            groupRange[root] = groupRange[root].map { min($0.lowerBound, range.lowerBound)...max($0.upperBound, range.upperBound) } ?? range
        }
        return bounds.enumerated().map { register, range in
            guard let range else { return nil }
            return IntegerType.covering(program.registers[register].isEncrypted ? groupRange[find(register)]! : range)
        }
    }

    /// For each encrypted register, the squared 2-norm of the clear weights applied since the
    /// last lookup or argument: the factor on the PBS output variance in its noise (fresh
    /// encryptions count as PBS outputs, which overestimates their noise).
    func squaredNorms(bounds: [ClosedRange<Int64>?]) -> [Double] {
        var norms = [Double](repeating: 1, count: program.registers.count)
        func square(_ value: Int64) -> Double { Double(value) * Double(value) }
        for instruction in program.instructions {
            let destination = instruction.destination
            let encrypted = instruction.operands.filter { program.registers[$0].isEncrypted }
            let incoming = encrypted.map { norms[$0] }.max() ?? 1
            switch instruction {
            case .add, .subtract: norms[destination] = encrypted.map { norms[$0] }.reduce(0, +)
            case let .multiply(_, _, clear):
                let range = bounds[clear] ?? 0...0
                norms[destination] = max(square(range.lowerBound), square(range.upperBound)) * incoming
            case let .sum(_, input, axis):
                let shape = program.registers[input].shape
                let count = axis.map { shape[$0 < 0 ? $0 + shape.count : $0] } ?? Tensor.elementCount(of: shape)
                norms[destination] = Double(count) * incoming
            case let .dot(_, _, weights): norms[destination] = weights.elements.map(square).reduce(0, +) * incoming
            case let .matmul(_, _, matrix):
                let columns = matrix.shape.count == 2 ? matrix.shape[1] : 1
                let columnNorms = (0..<columns).map { c in
                    stride(from: c, to: matrix.elements.count, by: columns).map { square(matrix.elements[$0]) }.reduce(0, +)
                }
                norms[destination] = (columnNorms.max() ?? 0) * incoming
            case .negate, .reshape, .transpose, .index, .concatenate: norms[destination] = incoming
            case let .round(_, _, lsbs, bitsPerStep):
                // Each step subtracts fresh PBS outputs.
                let steps = RoundingStep.steps(lsbsToRemove: lsbs, bitsPerStep: bitsPerStep)
                norms[destination] = incoming + Double(steps.map(\.bootstrapCount).reduce(0, +))
            case .argument, .constant, .lookup, .clear: norms[destination] = 1
            }
        }
        return norms
    }

    /// The PBS every lookup and rounding of the program performs, as the optimizer's constraints
    /// (see `RoundingStep` for the rounding's: the ciphertext entering a step is scaled up).
    func lookupConstraints(types: [IntegerType?], norms: [Double]) -> [LookupConstraint] {
        let rounded = program.roundedBits
        var constraints = [LookupConstraint]()
        for instruction in program.instructions {
            switch instruction {
            case let .lookup(_, input, _):
                let bits = types[input]!.width - (rounded[input] ?? 0)
                constraints.append(LookupConstraint(bits: bits, norm2: norms[input].squareRoot()))
            case let .round(_, input, lsbs, bitsPerStep):
                var weight = norms[input]
                for step in RoundingStep.steps(lsbsToRemove: lsbs, bitsPerStep: bitsPerStep) {
                    let scale = Double(1 << step.scaleLog2(width: types[input]!.width))
                    constraints.append(LookupConstraint(bits: step.signBits, norm2: scale * weight.squareRoot()))
                    if step.count >= 2 {
                        constraints.append(LookupConstraint(bits: step.remainderBits, norm2: scale * (weight + 1).squareRoot()))
                    }
                    weight += Double(step.bootstrapCount)
                }
            default: continue
            }
        }
        return constraints
    }
}
