import FHEParameters
import FHEProgram
import TFHE

/// Runs a compiled program on ciphertexts with a server key: levelled instructions act on the
/// ciphertexts, every lookup instruction is one batched keyswitch + PBS over all its elements,
/// or a wide lookup (`ServerKey.wideLookup`) with the circuit bootstrapping keys.
package struct ProgramRunner: Sendable {
    let program: Program
    let registerTypes: [IntegerType?]
    let serverKey: ServerKey
    let circuitKey: CircuitBootstrapKey?
    /// The test polynomials of each lookup instruction of one PBS (by destination register): one
    /// shared by every element, or one per element. Made once.
    let testPolynomials: [Int: [TestPolynomial]]
    /// The tables of each wide lookup (by destination register) as torus values: one shared by
    /// every element, or one per element.
    let wideTables: [Int: [[UInt64]]]
    /// For sum, dot, matmul and the shape instructions (by destination register): each output
    /// element's terms (input element, clear weight), built once from the operation (`LinearMap`).
    let linearMaps: [Int: LinearMap]
    /// For each instruction, the registers it reads for the last time: the runner frees them
    /// after it (`ResourceEstimate` counts memory the same way).
    let releasedAfter: [[Int]]
    /// The type each lookup reads (by destination register): narrower after a rounding.
    let lookupInputTypes: [Int: IntegerType]
    /// The test polynomials of each rounding's steps (by destination register), made once.
    let roundingPolynomials: [Int: [RoundingPolynomials]]
    /// The test polynomials of each decomposition (by destination register), made once.
    let decompositionPolynomials: [Int: DecompositionPolynomials]

    /// One rounding step's tables (`RoundingStep`), at the value's scale or, in a decomposition,
    /// at whichever of the value's and the chunk's scales is finer (`Decomposition`).
    struct RoundingPolynomials {
        let step: RoundingStep
        /// Half the step's top bit: the sign PBS gives ∓ this, plus this is b·2^(low+c−1).
        let half: UInt64
        let sign: TestPolynomial
        /// The low c − 1 bits (nil for a one-bit step).
        let remainder: TestPolynomial?

        /// The tables of `step` whose outputs are `plaintext(v·2^low)` for bits v at `low`.
        init(step: RoundingStep, serverKey: ServerKey, plaintext: (Int64) -> UInt64) throws {
            self.step = step
            half = plaintext(1 << (step.low + step.count - 1)) >> 1
            remainder = step.count < 2 ? nil : try serverKey.testPolynomial(
                plaintexts: (0..<Int64(1 << step.remainderBits)).map { plaintext($0 << step.low) })
            sign = try serverKey.testPolynomial(plaintexts: Array(repeating: 0 &- half, count: 1 << step.signBits))
        }
    }

    /// A decomposition's tables: each lower chunk's steps, and the top chunk's lookup.
    struct DecompositionPolynomials {
        let decomposition: Decomposition
        /// By lower chunk: its steps, and log2 of the factor between the scale they write at and
        /// the other one (positive: they write at the value's scale, the chunk is that times 2^shift).
        let chunks: [(steps: [RoundingPolynomials], shift: Int)]
        let top: TestPolynomial
    }

    /// Prepares a validated program (`Program.validate`) for the server key and, when it has
    /// wide lookups, the circuit bootstrapping keys.
    /// - Throws: `RuntimeError.mismatch` for wide lookups without circuit bootstrapping keys.
    init(program: Program, registerTypes: [IntegerType?], serverKey: ServerKey, circuitKey: CircuitBootstrapKey?) throws {
        self.program = program
        self.registerTypes = registerTypes
        self.serverKey = serverKey
        self.circuitKey = circuitKey
        lookupInputTypes = program.lookupInputTypes(registerTypes: registerTypes)
        var polynomials = [Int: [TestPolynomial]](), wide = [Int: [[UInt64]]]()
        for case let .lookup(destination, _, table) in program.instructions {
            let output = registerTypes[destination]!, bits = lookupInputTypes[destination]!.width, entries = 1 << bits
            let tables = stride(from: 0, to: table.count, by: entries).map { table[$0..<($0 + entries)].map(output.plaintext) }
            if WideLookupParameters.isWide(bits: bits, circuitKey?.wide) {
                guard circuitKey != nil else {
                    throw RuntimeError.mismatch("the program has a \(bits)-bit lookup and the keys no circuit bootstrapping keys")
                }
                wide[destination] = tables
            } else {
                polynomials[destination] = try tables.map { try serverKey.testPolynomial(plaintexts: $0) }
            }
        }
        testPolynomials = polynomials
        wideTables = wide
        var roundings = [Int: [RoundingPolynomials]]()
        for case let .round(destination, input, lsbs, bitsPerStep) in program.instructions {
            let type = registerTypes[input]!
            roundings[destination] = try RoundingStep.steps(lsbsToRemove: lsbs, bitsPerStep: bitsPerStep).map { step in
                try RoundingPolynomials(step: step, serverKey: serverKey, plaintext: type.plaintext)
            }
        }
        roundingPolynomials = roundings
        var decompositions = [Int: DecompositionPolynomials]()
        for case let .decompose(destination, input, chunkBits, bitsPerStep) in program.instructions {
            decompositions[destination] = try Self.decompositionPolynomials(
                Decomposition(chunkBits: chunkBits, destinationShape: program.registers[destination].shape), bitsPerStep: bitsPerStep,
                inputType: registerTypes[input]!, chunkType: registerTypes[destination]!, serverKey: serverKey)
        }
        decompositionPolynomials = decompositions
        var maps = [Int: LinearMap]()
        for instruction in program.instructions {
            // sum, dot, matmul and the shape operations; LinearMap is nil for every other operation.
            guard let operation = instruction.levelledOperation,
                  let map = LinearMap(operation, inputShape: program.registers[instruction.operands[0]].shape,
                                      outputShape: program.registers[instruction.destination].shape) else { continue }
            maps[instruction.destination] = map
        }
        linearMaps = maps
        releasedAfter = program.releasedRegisters()
    }

    private func type(_ register: Int) -> IntegerType { registerTypes[register]! }

    /// The tables of a decomposition of `inputType` values into chunks of `chunkType`. Bit p of
    /// lower chunk j is worth q/2^(w+1−p) in the value and q/2^(t+1−p+jc) in the chunk: the
    /// steps write at the finer of the two, shift = (w − jc) − t the log2 of their ratio.
    private static func decompositionPolynomials(_ decomposition: Decomposition, bitsPerStep: Int, inputType: IntegerType,
                                                 chunkType: IntegerType, serverKey: ServerKey) throws -> DecompositionPolynomials {
        var chunks = [(steps: [RoundingPolynomials], shift: Int)]()
        for j in 0..<(decomposition.chunkCount - 1) {
            let low = j * decomposition.chunkBits, shift = inputType.width - low - chunkType.width
            let plaintext: (Int64) -> UInt64 = { value in
                shift >= 0 ? inputType.plaintext(value) : chunkType.plaintext(value >> Int64(low))
            }
            let steps = try decomposition.steps(ofChunk: j, bitsPerStep: bitsPerStep).map { step in
                try RoundingPolynomials(step: step, serverKey: serverKey, plaintext: plaintext)
            }
            chunks.append((steps: steps, shift: shift))
        }
        let top = decomposition.topInputType(inputType)
        let identity = try serverKey.testPolynomial(
            plaintexts: (0..<(Int64(1) << top.width)).map { chunkType.plaintext(chunkType.wrapping(top.value(ofEntry: $0))) })
        return DecompositionPolynomials(decomposition: decomposition, chunks: chunks, top: identity)
    }

    func run(_ arguments: [RuntimeValue], threads: Int? = nil) throws -> RuntimeValue {
        var registers = [RuntimeValue?](repeating: nil, count: program.registers.count)
        for (position, instruction) in program.instructions.enumerated() {
            let destination = instruction.destination, shape = program.registers[destination].shape
            let value: RuntimeValue
            switch instruction {
            case let .argument(_, index): value = arguments[index]
            case let .constant(_, tensor): value = .clear(tensor)
            case let .clear(_, operation, inputs):
                value = .clear(try operation.evaluate(shape: shape, operands: inputs.map { clear(registers[$0]!) }))
            case let .add(_, a, b), let .subtract(_, a, b):
                let negated = if case .subtract = instruction { true } else { false }
                value = .encrypted(shape: shape, ciphertexts: combine(registers[a]!, registers[b]!, shape, type(destination),
                                                                      negateSecond: negated))
            case let .negate(_, a):
                var list = ciphertexts(registers[a]!)
                list.negate()
                value = .encrypted(shape: shape, ciphertexts: list)
            case let .multiply(_, encrypted, factor):
                value = .encrypted(shape: shape, ciphertexts: multiply(registers[encrypted]!, by: clear(registers[factor]!), shape))
            case let .concatenate(_, parts):
                value = .encrypted(shape: shape, ciphertexts: concatenate(parts.map { registers[$0]! }, type(destination)))
            case let .round(_, input, _, RoundingStep.approximate):
                value = registers[input]!   // the lookups that read it round (`RoundingStep`)
            case let .round(_, input, lsbs, _):
                value = .encrypted(shape: shape, ciphertexts: try round(ciphertexts(registers[input]!), type(input), lsbs: lsbs,
                                                                        steps: roundingPolynomials[destination]!, threads: threads))
            case let .lookup(_, input, _):
                value = .encrypted(shape: shape, ciphertexts: try lookup(destination, ciphertexts(registers[input]!), threads: threads))
            case let .decompose(_, input, _, _):
                value = .encrypted(shape: shape, ciphertexts: try decompose(ciphertexts(registers[input]!), type(input),
                                                                            decompositionPolynomials[destination]!, threads: threads))
            default:
                // sum, dot, matmul and the shape operations: linear maps of the input's elements.
                value = .encrypted(shape: shape, ciphertexts: linearMap(linearMaps[destination]!,
                                                                        ciphertexts(registers[instruction.operands[0]]!)))
            }
            registers[destination] = value
            for register in releasedAfter[position] { registers[register] = nil }
        }
        return registers[program.result]!
    }

    /// One batched keyswitch + PBS of every element, or a wide lookup, after the signed offset.
    private func lookup(_ destination: Int, _ input: LWECiphertextList, threads: Int?) throws -> LWECiphertextList {
        var inputs = input
        let inputType = lookupInputTypes[destination]!
        if inputType.lookupOffset != 0 { inputs.add(plaintext: inputType.plaintext(inputType.lookupOffset)) }
        if let tables = wideTables[destination], let circuitKey {
            return try serverKey.wideLookup(inputs, bits: inputType.width, tables: tables, circuitKey: circuitKey, threads: threads)
        }
        return try serverKey.applyLookupTables(inputs, testPolynomials[destination]!, threads: threads)
    }

    /// Rounds values of `type` to multiples of 2^lsbs (halves up) with the steps of `RoundingStep`,
    /// each step's PBS batched over all elements.
    private func round(_ inputs: LWECiphertextList, _ type: IntegerType, lsbs: Int, steps: [RoundingPolynomials],
                       threads: Int?) throws -> LWECiphertextList {
        var values = inputs
        values.add(plaintext: type.plaintext(1 << (lsbs - 1)))
        _ = try clear(&values, type, steps: steps, shift: 0, threads: threads)
        return values
    }

    /// Clears the bits of `steps` from `values` (of `type`) and returns what was cleared: the
    /// steps' PBS outputs, which are at the values' scale times 2^−shift when shift < 0; the
    /// values get them at their own scale, the result at the PBS's times 2^shift when shift > 0.
    private func clear(_ values: inout LWECiphertextList, _ type: IntegerType, steps: [RoundingPolynomials], shift: Int,
                       threads: Int?) throws -> LWECiphertextList {
        var cleared = LWECiphertextList(dimension: values.dimension, count: values.count)
        func remove(_ bits: LWECiphertextList) throws -> LWECiphertextList {   // the bits at the values' scale
            let own = shift < 0 ? bits.multiplied(by: 1 << -shift) : bits
            try values.subtract(own)
            try cleared.add(shift > 0 ? bits.multiplied(by: 1 << shift) : bits)
            return own
        }
        for polynomials in steps {
            let factor = 1 << polynomials.step.scaleLog2(width: type.width)
            let scaled = values.multiplied(by: factor)   // the step's c bits at the top, no padding
            var tops = try serverKey.applyLookupTable(scaled, polynomials.sign, threads: threads)
            tops.add(plaintext: polynomials.half)   // b·2^(low+c−1)
            let ownTops = try remove(tops)
            guard let remainder = polynomials.remainder else { continue }
            // The scaled value minus its top bit: the low c − 1 bits under a padding bit.
            var lows = scaled
            try lows.subtract(ownTops.multiplied(by: factor))
            _ = try remove(try serverKey.applyLookupTable(lows, remainder, threads: threads))
        }
        return cleared
    }

    /// The chunks of every element (`Decomposition`): the lower ones by clearing their bits, the
    /// top one by a lookup of what remains; the chunks one after another, the lowest first.
    private func decompose(_ inputs: LWECiphertextList, _ type: IntegerType, _ polynomials: DecompositionPolynomials,
                           threads: Int?) throws -> LWECiphertextList {
        var values = inputs, chunks = LWECiphertextList(dimension: inputs.dimension, count: 0)
        for chunk in polynomials.chunks {
            chunks.append(contentsOf: try clear(&values, type, steps: chunk.steps, shift: chunk.shift, threads: threads))
        }
        let top = polynomials.decomposition.topInputType(type)
        if top.lookupOffset != 0 { values.add(plaintext: top.plaintext(top.lookupOffset)) }
        chunks.append(contentsOf: try serverKey.applyLookupTable(values, polynomials.top, threads: threads))
        return chunks
    }

    private func clear(_ value: RuntimeValue) -> Tensor {
        if case let .clear(tensor) = value { return tensor }
        preconditionFailure("an encrypted register where the program reads a clear value")
    }

    private func ciphertexts(_ value: RuntimeValue) -> LWECiphertextList {
        if case let .encrypted(_, ciphertexts) = value { return ciphertexts }
        preconditionFailure("a levelled instruction read a clear or unexpanded register as encrypted")
    }

    private var dimension: Int { serverKey.parameters.bigLWEDimension }

    /// An operand as ciphertexts: its own, or trivial encryptions of clear values of `type`.
    private func ciphertexts(_ value: RuntimeValue, encodedAs type: IntegerType) -> LWECiphertextList {
        switch value {
        case let .clear(tensor): .trivial(plaintexts: tensor.elements.map(type.plaintext), dimension: dimension)   // exact mod 2^(w+1)
        default: ciphertexts(value)
        }
    }

    /// The element of each operand that each output element reads, by numpy broadcasting.
    private func broadcastIndices(_ a: [Int], _ b: [Int], to shape: [Int]) -> [(Int, Int)] {
        broadcastPairs(Array(0..<Tensor.elementCount(of: a)), a, Array(0..<Tensor.elementCount(of: b)), b, to: shape) { ($0, $1) }
    }

    /// a + b or a − b, elementwise with broadcasting, for encrypted or clear operands.
    private func combine(_ a: RuntimeValue, _ b: RuntimeValue, _ shape: [Int], _ type: IntegerType,
                         negateSecond: Bool) -> LWECiphertextList {
        let first = ciphertexts(a, encodedAs: type), second = ciphertexts(b, encodedAs: type)
        var result = LWECiphertextList(dimension: dimension, count: Tensor.elementCount(of: shape))
        for (output, (i, j)) in broadcastIndices(a.shape, b.shape, to: shape).enumerated() {
            result.accumulate(output, first, i)
            result.accumulate(output, second, j, times: negateSecond ? -1 : 1)
        }
        return result
    }

    /// An encrypted operand times a clear one, elementwise with broadcasting.
    private func multiply(_ value: RuntimeValue, by factor: Tensor, _ shape: [Int]) -> LWECiphertextList {
        let inputs = ciphertexts(value)
        var result = LWECiphertextList(dimension: dimension, count: Tensor.elementCount(of: shape))
        for (output, (i, j)) in broadcastIndices(value.shape, factor.shape, to: shape).enumerated() {
            result.accumulate(output, inputs, i, times: factor.elements[j])
        }
        return result
    }

    /// The parts one after another, clear ones as trivial encryptions.
    private func concatenate(_ parts: [RuntimeValue], _ type: IntegerType) -> LWECiphertextList {
        var result = LWECiphertextList(dimension: dimension, count: 0)
        for part in parts { result.append(contentsOf: ciphertexts(part, encodedAs: type)) }
        return result
    }

    /// out_j = Σᵢ W[j][i]·inᵢ with the terms prepared at init.
    private func linearMap(_ map: LinearMap, _ inputs: LWECiphertextList) -> LWECiphertextList {
        var outputs = LWECiphertextList(dimension: inputs.dimension, count: map.outputCount)
        for j in 0..<map.outputCount {
            for (i, weight) in map.terms(of: j) { outputs.accumulate(j, inputs, Int(i), times: weight) }
        }
        return outputs
    }
}

extension Program {
    /// For each instruction, the registers whose last read it is, or that it writes and nothing
    /// reads (never the result): what a run may free after it.
    func releasedRegisters() -> [[Int]] {
        var lastUse = [Int: Int]()
        for (position, instruction) in instructions.enumerated() {
            lastUse[instruction.destination] = lastUse[instruction.destination] ?? position
            for register in instruction.operands { lastUse[register] = position }
        }
        var released = [[Int]](repeating: [], count: instructions.count)
        for (register, position) in lastUse where register != result { released[position].append(register) }
        return released
    }
}
