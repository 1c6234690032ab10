import FHECompiler
import TFHE

/// Runs a compiled program on ciphertexts with a server key: levelled instructions act on the
/// ciphertexts, every lookup instruction is one batched keyswitch + PBS over all its elements.
struct ProgramRunner: Sendable {
    let program: Program
    let registerTypes: [IntegerType?]
    let serverKey: ServerKey
    /// The test polynomials of each lookup instruction (by destination register): one shared by
    /// every element, or one per element. Made once.
    let testPolynomials: [Int: [TestPolynomial]]
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

    /// One rounding step's tables (`RoundingStep`).
    struct RoundingPolynomials {
        let step: RoundingStep
        /// Half the step's top bit at the value's scale: the sign PBS gives ∓ this, plus this is b·2^(low+c−1).
        let half: UInt64
        let sign: TestPolynomial
        /// The low c − 1 bits at the value's scale (nil for a one-bit step).
        let remainder: TestPolynomial?
    }

    /// Prepares a validated program (`Program.validate`) for the server key.
    init(program: Program, registerTypes: [IntegerType?], serverKey: ServerKey) throws {
        self.program = program
        self.registerTypes = registerTypes
        self.serverKey = serverKey
        lookupInputTypes = program.lookupInputTypes(registerTypes: registerTypes)
        var polynomials = [Int: [TestPolynomial]]()
        for case let .lookup(destination, _, table) in program.instructions {
            let output = registerTypes[destination]!, entries = 1 << lookupInputTypes[destination]!.width
            polynomials[destination] = try stride(from: 0, to: table.count, by: entries).map { start in
                try serverKey.testPolynomial(plaintexts: table[start..<(start + entries)].map(output.plaintext))
            }
        }
        testPolynomials = polynomials
        var roundings = [Int: [RoundingPolynomials]]()
        for case let .round(destination, input, lsbs, bitsPerStep) in program.instructions {
            let type = registerTypes[input]!
            roundings[destination] = try RoundingStep.steps(lsbsToRemove: lsbs, bitsPerStep: bitsPerStep).map { step in
                let half = type.plaintext(1 << (step.low + step.count - 1)) >> 1
                let remainder = step.count < 2 ? nil : try serverKey.testPolynomial(
                    plaintexts: (0..<Int64(1 << step.remainderBits)).map { type.plaintext($0 << step.low) })
                return RoundingPolynomials(
                    step: step, half: half,
                    sign: try serverKey.testPolynomial(plaintexts: Array(repeating: 0 &- half, count: 1 << step.signBits)),
                    remainder: remainder)
            }
        }
        roundingPolynomials = roundings
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

    func run(_ arguments: [RuntimeValue], threads: Int? = nil) throws -> RuntimeValue {
        var registers = [RuntimeValue?](repeating: nil, count: program.registers.count)
        func clear(_ register: Int) -> Tensor {
            if case let .clear(tensor) = registers[register]! { return tensor }
            preconditionFailure("register \(register) is encrypted where the program reads a clear value")
        }
        for (position, instruction) in program.instructions.enumerated() {
            let destination = instruction.destination, shape = program.registers[destination].shape
            let value: RuntimeValue
            switch instruction {
            case let .argument(_, index): value = arguments[index]
            case let .constant(_, tensor): value = .clear(tensor)
            case let .clear(_, operation, inputs):
                value = .clear(try operation.evaluate(shape: shape, operands: inputs.map(clear)))
            case let .add(_, a, b): value = try combine(registers[a]!, registers[b]!, shape, type(destination), negateSecond: false)
            case let .subtract(_, a, b): value = try combine(registers[a]!, registers[b]!, shape, type(destination), negateSecond: true)
            case let .negate(_, a): value = .encrypted(shape: shape, ciphertexts: ciphertexts(registers[a]!).map { $0.negated() })
            case let .multiply(_, encrypted, clearFactor):
                let factor = clear(clearFactor)
                value = .encrypted(shape: shape, ciphertexts: broadcastPairs(
                    ciphertexts(registers[encrypted]!), registers[encrypted]!.shape, factor.elements, factor.shape, to: shape
                ) { $0.multiplied(by: Int($1)) })
            case let .concatenate(_, parts):
                value = .encrypted(shape: shape, ciphertexts: parts.flatMap { ciphertexts(registers[$0]!, encodedAs: type(destination)) })
            case let .round(_, input, lsbs, _):
                value = .encrypted(shape: shape, ciphertexts: try round(ciphertexts(registers[input]!), type(input), lsbs: lsbs,
                                                                        steps: roundingPolynomials[destination]!, threads: threads))
            case let .lookup(_, input, _):
                var inputs = ciphertexts(registers[input]!)
                let inputType = lookupInputTypes[destination]!
                if inputType.lookupOffset != 0 {
                    let offset = inputType.plaintext(inputType.lookupOffset)
                    inputs = inputs.map { $0.adding(plaintext: offset) }
                }
                let polynomials = testPolynomials[destination]!
                value = .encrypted(shape: shape, ciphertexts: polynomials.count == 1
                    ? try serverKey.applyLookupTable(inputs, polynomials[0], threads: threads)
                    : try serverKey.applyLookupTables(inputs, polynomials, threads: threads))
            default:
                // sum, dot, matmul and the shape operations: linear maps of the input's elements.
                value = try linearMap(instruction, registers[instruction.operands[0]]!, shape: shape)
            }
            registers[destination] = value
            for register in releasedAfter[position] { registers[register] = nil }
        }
        return registers[program.result]!
    }

    /// Rounds values of `type` to multiples of 2^lsbs (halves up) with the steps of `RoundingStep`,
    /// each step's PBS batched over all elements.
    private func round(_ inputs: [LWECiphertext], _ type: IntegerType, lsbs: Int, steps: [RoundingPolynomials],
                       threads: Int?) throws -> [LWECiphertext] {
        var values = inputs.map { $0.adding(plaintext: type.plaintext(1 << (lsbs - 1))) }
        for polynomials in steps {
            let factor = 1 << polynomials.step.scaleLog2(width: type.width)
            let scaled = values.map { $0.multiplied(by: factor) }   // the step's c bits at the top, no padding
            let tops = try serverKey.applyLookupTable(scaled, polynomials.sign, threads: threads)
                .map { $0.adding(plaintext: polynomials.half) }   // b·2^(low+c−1)
            for index in values.indices { try values[index].subtract(tops[index]) }
            guard let remainder = polynomials.remainder else { continue }
            // The scaled value minus its top bit: the low c − 1 bits under a padding bit.
            let lows = try scaled.indices.map { try scaled[$0].subtracting(tops[$0].multiplied(by: factor)) }
            let cleared = try serverKey.applyLookupTable(lows, remainder, threads: threads)
            for index in values.indices { try values[index].subtract(cleared[index]) }
        }
        return values
    }

    private func ciphertexts(_ value: RuntimeValue) -> [LWECiphertext] {
        if case let .encrypted(_, ciphertexts) = value { return ciphertexts }
        preconditionFailure("a levelled instruction read a clear or unexpanded register as encrypted")
    }

    /// An operand as ciphertexts: its own, or trivial encryptions of clear values of `type`.
    private func ciphertexts(_ value: RuntimeValue, encodedAs type: IntegerType, negated: Bool = false) -> [LWECiphertext] {
        switch value {
        case let .clear(tensor): tensor.elements.map { trivial(type.plaintext(negated ? 0 &- $0 : $0)) }   // exact mod 2^(w+1)
        default: negated ? ciphertexts(value).map { $0.negated() } : ciphertexts(value)
        }
    }

    private func trivial(_ plaintext: UInt64) -> LWECiphertext {
        .trivial(plaintext: plaintext, dimension: serverKey.parameters.bigLWEDimension)
    }

    /// a + b or a − b, elementwise with broadcasting, for encrypted or clear operands.
    private func combine(_ a: RuntimeValue, _ b: RuntimeValue, _ shape: [Int], _ type: IntegerType,
                         negateSecond: Bool) throws -> RuntimeValue {
        .encrypted(shape: shape, ciphertexts: try broadcastPairs(
            ciphertexts(a, encodedAs: type), a.shape, ciphertexts(b, encodedAs: type, negated: negateSecond), b.shape, to: shape
        ) { try $0.adding($1) })
    }

    /// out_j = Σᵢ W[j][i]·inᵢ with the terms prepared at init.
    private func linearMap(_ instruction: Program.Instruction, _ input: RuntimeValue, shape: [Int]) throws -> RuntimeValue {
        let inputs = ciphertexts(input), map = linearMaps[instruction.destination]!
        let outputs = try (0..<map.outputCount).map { j -> LWECiphertext in
            var sum: LWECiphertext?
            for (i, weight) in map.terms(of: j) {
                let term = weight == 1 ? inputs[Int(i)] : inputs[Int(i)].multiplied(by: Int(weight))
                sum = try sum.map { try $0.adding(term) } ?? term
            }
            return sum ?? trivial(0)
        }
        return .encrypted(shape: shape, ciphertexts: outputs)
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
