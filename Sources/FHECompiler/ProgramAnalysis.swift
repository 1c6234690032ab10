import FHEOptimizer
import FHEProgram
import Foundation

/// Bounds, integer types and noise of a lowered program.
extension LoweredProgram {
    /// Each register's [min, max] over the inputset (nil for floats), running exactly.
    /// - Throws: `CompilationError.inputset` naming the sample on which the program fails (an
    ///   overflow, a division by zero).
    func bounds(inputset: [[Tensor]]) throws -> [ClosedRange<Int64>?] {
        var result = [ClosedRange<Int64>?](repeating: nil, count: program.registers.count)
        for (number, sample) in inputset.enumerated() {
            let values: [Value?]
            do {
                values = try program.run(sample, exactSemantics)
            } catch let error as EvaluationError {
                throw CompilationError.inputset("sample \(number): \(error)")
            }
            for (register, value) in values.enumerated() {
                guard let elements = value?.integers, let low = elements.min(), let high = elements.max() else { continue }
                result[register] = result[register].map { min($0.lowerBound, low)...max($0.upperBound, high) } ?? low...high
            }
        }
        widenApproximateRoundings(&result)
        return result
    }

    /// Exact integer semantics: lookups and clear tables compute their functions, nothing wraps.
    var exactSemantics: Program.Semantics {
        var decompositions = [Int: Decomposition]()
        for case let .decompose(destination, _, chunkBits, _) in program.instructions {
            decompositions[destination] = Decomposition(chunkBits: chunkBits, destinationShape: program.registers[destination].shape)
        }
        return Program.Semantics(lookup: { try functions[$0]!($1, $2) }, encode: { $1 }, levelledArithmetic: .checked,
                                 clearFunction: { clearFunctions[$0] }, decompose: { decompositions[$0]!.chunks(of: $1) })
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

    /// For each encrypted register, the squared 2-norms of the clear weights applied since the
    /// last lookup or argument: the factors on the PBS output variance and on the fresh
    /// encryption variance in its noise. Operands of one instruction combine by the larger
    /// weight of each kind (an upper bound when they differ).
    func noiseWeights(bounds: [ClosedRange<Int64>?], types: [IntegerType?], lookupTypes: [Int: IntegerType],
                      narrowestWide: Int) -> [NoiseWeights] {
        var weights = [NoiseWeights](repeating: .zero, count: program.registers.count)
        func square(_ value: Int64) -> Double { Double(value) * Double(value) }
        for instruction in program.instructions {
            let destination = instruction.destination
            let encrypted = instruction.operands.filter { program.registers[$0].isEncrypted }.map { weights[$0] }
            let incoming = encrypted.reduce(NoiseWeights.zero) { $0.larger($1) }
            switch instruction {
            case .add, .subtract: weights[destination] = encrypted.reduce(.zero, +)
            case let .multiply(_, _, clear):
                let range = bounds[clear] ?? 0...0
                weights[destination] = incoming.scaled(by: max(square(range.lowerBound), square(range.upperBound)))
            case let .sum(_, input, axis):
                let shape = program.registers[input].shape
                let count = axis.map { shape[$0 < 0 ? $0 + shape.count : $0] } ?? Tensor.elementCount(of: shape)
                weights[destination] = incoming.scaled(by: Double(count))
            case let .dot(_, _, vector): weights[destination] = incoming.scaled(by: vector.elements.map(square).reduce(0, +))
            case let .matmul(_, _, matrix):
                let columns = matrix.shape.count == 2 ? matrix.shape[1] : 1
                let columnNorms = (0..<columns).map { c in
                    stride(from: c, to: matrix.elements.count, by: columns).map { square(matrix.elements[$0]) }.reduce(0, +)
                }
                weights[destination] = incoming.scaled(by: columnNorms.max() ?? 0)
            case let .linear(_, _, operation):
                let rowNorms = (0..<operation.map.outputCount).map { j in operation.map.terms(of: j).map { square($0.1) }.reduce(0, +) }
                weights[destination] = incoming.scaled(by: rowNorms.max() ?? 0)
            case .negate, .reshape, .transpose, .index, .concatenate: weights[destination] = incoming
            case let .round(_, _, lsbs, bitsPerStep):
                // Each step subtracts PBS outputs.
                let count = RoundingStep.bootstrapCount(lsbsToRemove: lsbs, bitsPerStep: bitsPerStep)
                weights[destination] = incoming + NoiseWeights(bootstrapped: Double(count), fresh: 0)
            case let .decompose(_, input, chunkBits, bitsPerStep):
                let decomposition = Decomposition(chunkBits: chunkBits, destinationShape: program.registers[destination].shape)
                weights[destination] = decomposition.noise(bitsPerStep: bitsPerStep, input: weights[input], inputType: types[input]!,
                                                           chunkType: types[destination]!).chunks
            case .argument: weights[destination] = NoiseWeights(bootstrapped: 0, fresh: 1)
            case .lookup:
                let bits = lookupTypes[destination]!.width   // a wide lookup's output carries its CMuxes' noise
                weights[destination] = WideLookupParameters.isWide(bits: bits, narrowest: narrowestWide)
                    ? NoiseWeights(bootstrapped: 0, fresh: 0, wide: Double(bits))
                    : NoiseWeights(bootstrapped: 1, fresh: 0)
            case .constant, .clear: weights[destination] = .zero
            }
        }
        return weights
    }

    /// The PBS every lookup and rounding of the program performs and the decryption of its result,
    /// as the optimizer's constraints (see `RoundingStep` for the rounding's: the ciphertext
    /// entering a step is scaled up).
    func lookupConstraints(types: [IntegerType?], lookupTypes: [Int: IntegerType], weights: [NoiseWeights],
                           narrowestWide: Int) -> [LookupConstraint] {
        var constraints = [LookupConstraint]()
        for instruction in program.instructions {
            switch instruction {
            case let .lookup(destination, input, _):
                let bits = lookupTypes[destination]!.width
                guard WideLookupParameters.isWide(bits: bits, narrowest: narrowestWide) else {
                    constraints.append(weights[input].constraint(bits: bits))
                    continue
                }
                // Bit i is read on top of the value minus the i lower bits' PBS outputs (`ServerKey.wideLookup`).
                for i in 0..<bits {
                    let weight = weights[input] + NoiseWeights(bootstrapped: Double(i), fresh: 0)
                    constraints.append(weight.constraint(bits: bits - i, kind: .bitExtraction))
                }
            case let .round(_, input, lsbs, bitsPerStep):
                var weight = weights[input]
                constraints += RoundingStep.steps(lsbsToRemove: lsbs, bitsPerStep: bitsPerStep)
                    .constraints(clearing: &weight, width: types[input]!.width, subtractedWeight: 1)
            case let .decompose(destination, input, chunkBits, bitsPerStep):
                let decomposition = Decomposition(chunkBits: chunkBits, destinationShape: program.registers[destination].shape)
                constraints += decomposition.noise(bitsPerStep: bitsPerStep, input: weights[input], inputType: types[input]!,
                                                   chunkType: types[destination]!).constraints
            default: continue
            }
        }
        if program.registers[program.result].isEncrypted, let type = types[program.result] {
            constraints.append(weights[program.result].constraint(bits: type.width, kind: .decryption))
        }
        return constraints
    }
}

extension [RoundingStep] {
    /// The constraints of these steps clearing the bits of a value of `width` bits whose noise is
    /// `weight`, which becomes that of the cleared value: each step's PBS outputs are subtracted
    /// with the squared factor `subtractedWeight` (1 at the value's own scale).
    func constraints(clearing weight: inout NoiseWeights, width: Int, subtractedWeight: Double) -> [LookupConstraint] {
        var constraints = [LookupConstraint]()
        let output = NoiseWeights(bootstrapped: subtractedWeight, fresh: 0)
        for step in self {
            let scale = exp2(2 * Double(step.scaleLog2(width: width)))
            constraints.append(weight.scaled(by: scale).constraint(bits: step.signBits))
            // The remainder's input: the scaled value minus the sign's output, scaled alike.
            if step.count >= 2 { constraints.append((weight + output).scaled(by: scale).constraint(bits: step.remainderBits)) }
            weight = weight + output.scaled(by: Double(step.bootstrapCount))
        }
        return constraints
    }
}

extension Decomposition {
    /// The constraints of its PBS and the noise of its chunks (the largest of any chunk), for an
    /// input of `inputType` with noise `input` (`Decomposition`: the steps write at the finer of
    /// the value's and the chunk's scales, shift the log2 of their ratio).
    func noise(bitsPerStep: Int, input: NoiseWeights, inputType: IntegerType, chunkType: IntegerType)
        -> (constraints: [LookupConstraint], chunks: NoiseWeights) {
        var weight = input, chunks = NoiseWeights(bootstrapped: 1, fresh: 0), constraints = [LookupConstraint]()
        for j in 0..<(chunkCount - 1) {
            let shift = Double(inputType.width - j * chunkBits - chunkType.width)
            let steps = self.steps(ofChunk: j, bitsPerStep: bitsPerStep)
            constraints += steps.constraints(clearing: &weight, width: inputType.width, subtractedWeight: exp2(2 * max(-shift, 0)))
            let count = Double(steps.map(\.bootstrapCount).reduce(0, +))
            chunks = chunks.larger(NoiseWeights(bootstrapped: count * exp2(2 * max(shift, 0)), fresh: 0))
        }
        constraints.append(weight.constraint(bits: topInputType(inputType).width))   // the top chunk's lookup
        return (constraints, chunks)
    }
}

/// The noise of an encrypted value: squared 2-norms of the clear weights on PBS outputs and on
/// fresh encryptions (their variances are V_pbs and σ_glwe²), and the weighted count of the
/// vertical-packing CMuxes of wide lookups that reach it (`LookupConstraint.wideCMuxes`).
struct NoiseWeights {
    var bootstrapped: Double
    var fresh: Double
    var wide: Double = 0

    static let zero = NoiseWeights(bootstrapped: 0, fresh: 0)

    static func + (a: NoiseWeights, b: NoiseWeights) -> NoiseWeights {
        NoiseWeights(bootstrapped: a.bootstrapped + b.bootstrapped, fresh: a.fresh + b.fresh, wide: a.wide + b.wide)
    }

    /// Every weight times `factor` (a squared clear weight).
    func scaled(by factor: Double) -> NoiseWeights {
        NoiseWeights(bootstrapped: bootstrapped * factor, fresh: fresh * factor, wide: wide * factor)
    }

    /// The larger of each weight.
    func larger(_ other: NoiseWeights) -> NoiseWeights {
        NoiseWeights(bootstrapped: max(bootstrapped, other.bootstrapped), fresh: max(fresh, other.fresh), wide: max(wide, other.wide))
    }

    /// The optimizer's constraint for reading a value with this noise at `bits` bits.
    func constraint(bits: Int, kind: LookupConstraint.Kind = .lookup) -> LookupConstraint {
        LookupConstraint(bits: bits, norm2: bootstrapped.squareRoot(), freshNorm2: fresh.squareRoot(), wideCMuxes: wide, kind: kind)
    }
}
