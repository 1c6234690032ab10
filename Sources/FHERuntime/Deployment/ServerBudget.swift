import FHEParameters
import FHEProgram
import Foundation

/// What one server artifact may make a server spend, set by the server's operator. A client
/// writes the artifact's program, so a few kilobytes could otherwise ask for terabytes.
public struct ServerBudget: Sendable, Equatable {
    /// The most memory a run may need: the evaluation keys in memory, the prepared tables and
    /// linear maps, and the registers at their peak with the scratch of the instruction there.
    public var maximumMemoryBytes: Int
    /// The most work a run may take, in 64-bit word operations: each levelled term costs a
    /// ciphertext's words, each keyswitch + PBS the multiply-adds of its key walk.
    public var maximumWordOperations: Double

    /// 8 GiB and 2^40 word operations (minutes of one core): room for every circuit the
    /// compiler makes at N ≤ 32768, and far below what a forged program of a few kilobytes asks.
    public init(maximumMemoryBytes: Int = 8 << 30, maximumWordOperations: Double = 0x1p40) {
        self.maximumMemoryBytes = maximumMemoryBytes
        self.maximumWordOperations = maximumWordOperations
    }

    /// The default budget.
    public static let `default` = ServerBudget()

    /// Throws unless `estimate` fits.
    /// - Throws: `RuntimeError.overBudget` saying what the run needs, where, and what to raise.
    func check(_ estimate: ResourceEstimate) throws {
        if estimate.memoryBytes > Double(maximumMemoryBytes) {
            throw RuntimeError.overBudget("running this artifact needs about \(bytes(estimate.memoryBytes)) of memory (\(estimate)), "
                + "more than the server's budget of \(bytes(Double(maximumMemoryBytes))): refuse it, or raise "
                + "ServerBudget.maximumMemoryBytes if the circuit is expected to be this large")
        }
        if estimate.wordOperations > maximumWordOperations {
            throw RuntimeError.overBudget("running this artifact takes about \(String(format: "%.2g", estimate.wordOperations)) word "
                + "operations, more than the server's budget of \(String(format: "%.2g", maximumWordOperations)): refuse it, or "
                + "raise ServerBudget.maximumWordOperations if the circuit is expected to be this large")
        }
    }
}

/// What one run of a program needs, computed from the program and its parameters before
/// anything is allocated. Registers are freed after their last read (as `ProgramRunner` does);
/// the arguments stay for the whole run. Sums are in `Double`, so nothing overflows.
public struct ResourceEstimate: Sendable, CustomStringConvertible {
    /// The evaluation keys in memory: the bootstrapping key in Fourier form, the keyswitching key
    /// and the circuit bootstrapping keys.
    public let keyBytes: Double
    /// Test polynomials of every lookup and rounding, and the terms of every linear map.
    public let preparedBytes: Double
    /// Registers alive at the peak, plus the scratch of the instruction there.
    public let peakRegisterBytes: Double
    /// The instruction where the registers peak.
    public let peakInstruction: Int
    /// Word operations of one run (see `ServerBudget.maximumWordOperations`).
    public let wordOperations: Double

    /// Everything at once: keys, prepared state and the registers' peak.
    public var memoryBytes: Double { keyBytes + preparedBytes + peakRegisterBytes }

    public var description: String {
        "keys \(bytes(keyBytes)), tables and maps \(bytes(preparedBytes)), "
            + "registers \(bytes(peakRegisterBytes)) at instruction \(peakInstruction)"
    }

    /// The needs of `program` (validated) run with `parameters` and, for its wide lookups, `wideLookup`.
    public init(program: Program, registerTypes: [IntegerType?], parameters: ParameterSet, wideLookup: WideLookupParameters? = nil) {
        keyBytes = Double(parameters.bootstrapKeyBytes) + Double(parameters.keyswitchKeyBytes)
            + Double(wideLookup?.circuitKeyBytes(parameters) ?? 0)
        (preparedBytes, wordOperations) = Self.preparedBytesAndWork(program, registerTypes, parameters, wideLookup)
        (peakRegisterBytes, peakInstruction) = Self.peakRegisterBytes(program, registerTypes, parameters, wideLookup)
    }

    /// Bytes of a ciphertext under the big key in a register (a flat `LWECiphertextList`).
    private static func ciphertextBytes(_ p: ParameterSet) -> Double { Double(8 * p.bigLWESize) }

    /// The test polynomials and linear-map terms prepared once, and the word operations of a run.
    private static func preparedBytesAndWork(_ program: Program, _ registerTypes: [IntegerType?], _ p: ParameterSet,
                                             _ wide: WideLookupParameters?) -> (Double, Double) {
        let ciphertextWords = Double(p.bigLWESize)
        let bootstrapWork = Double(p.lweDimension) * Double(p.glweSize * p.glweSize)
            * Double(p.pbsLevelCount * p.polynomialSize)
            + Double(p.bigLWEDimension) * Double(p.ksLevelCount) * Double(p.lweSize)
        let polynomialBytes = Double(8 * p.polynomialSize)
        let inputTypes = program.lookupInputTypes(registerTypes: registerTypes)
        var prepared = 0.0, work = 0.0
        for instruction in program.instructions {
            let destination = instruction.destination, count = Double(program.registers[destination].elementCount)
            switch instruction {
            case let .lookup(_, _, table):
                let bits = inputTypes[destination]?.width ?? 0
                guard WideLookupParameters.isWide(bits: bits, wide) else {
                    prepared += Double(table.count) / Double(1 << bits) * polynomialBytes
                    work += count * (bootstrapWork + ciphertextWords)
                    continue
                }
                prepared += Double(table.count) * 8   // torus values
                work += count * wideLookupWork(bits: bits, p, wide, bootstrapWork: bootstrapWork + ciphertextWords)
            case let .round(_, _, lsbs, bitsPerStep):
                let steps = RoundingStep.steps(lsbsToRemove: lsbs, bitsPerStep: bitsPerStep)
                prepared += Double(2 * steps.count) * polynomialBytes
                work += count * Double(RoundingStep.bootstrapCount(lsbsToRemove: lsbs, bitsPerStep: bitsPerStep)) * (bootstrapWork + 6 * ciphertextWords)
            case let .decompose(_, input, chunkBits, bitsPerStep):
                let decomposition = Decomposition(chunkBits: chunkBits, destinationShape: program.registers[destination].shape)
                let steps = decomposition.steps(ofChunk: 0, bitsPerStep: bitsPerStep).count * (decomposition.chunkCount - 1)
                prepared += Double(2 * steps + 1) * polynomialBytes
                work += Double(program.registers[input].elementCount) * Double(decomposition.bootstrapCount(bitsPerStep: bitsPerStep))
                    * (bootstrapWork + 8 * ciphertextWords)
            default:
                if let operation = instruction.levelledOperation,
                   let terms = LinearMap.termCount(of: operation, inputShape: program.registers[instruction.operands[0]].shape) {
                    prepared += Double(terms) * 12 + count * 8
                    work += (Double(terms) + count) * ciphertextWords
                } else if case let .clear(_, operation, inputs) = instruction {
                    work += clearWork(operation, inputShapes: inputs.map { program.registers[$0].shape }, outputCount: count)
                } else if program.registers[destination].isEncrypted {
                    work += count * ciphertextWords * Double(max(instruction.operands.count, 1))
                }
            }
        }
        return (prepared, work)
    }

    /// Word operations of one wide lookup element (`ServerKey.wideLookup`): bits·bootstrapsPerBit KS + PBS,
    /// bits·(k+1)·ℓ_cb packing keyswitches of (kN+1)·ℓ_pks·(k+1)·N multiply-adds, and vertical
    /// packing's CMuxes, (k+1)²·ℓ_cb·N each; infinite without decompositions.
    private static func wideLookupWork(bits: Int, _ p: ParameterSet, _ wide: WideLookupParameters?, bootstrapWork: Double) -> Double {
        guard let wide else { return .infinity }
        let b = Double(bits), levels = Double(wide.circuitLevels), columns = Double(p.glweSize)
        let packing = Double(p.bigLWEDimension + 1) * Double(wide.packingLevels) * columns * Double(p.polynomialSize)
        let cmuxes = Double(1 << max(bits - Int(log2(Double(p.polynomialSize))), 0)) + b
        return b * Double(wide.bootstrapsPerBit) * bootstrapWork + b * columns * levels * packing
            + cmuxes * columns * columns * levels * Double(p.polynomialSize)
    }

    /// The registers' peak and where it is: the arguments throughout, every other register from
    /// its write to its last read, plus the scratch of the instruction running.
    private static func peakRegisterBytes(_ program: Program, _ registerTypes: [IntegerType?], _ p: ParameterSet,
                                          _ wide: WideLookupParameters?) -> (Double, Int) {
        let ciphertext = ciphertextBytes(p), smallCiphertext = Double(8 * p.lweSize)
        let inputTypes = program.lookupInputTypes(registerTypes: registerTypes)
        func elements(_ register: Int) -> Double { Double(program.registers[register].elementCount) }
        func registerBytes(_ register: Int) -> Double { elements(register) * (program.registers[register].isEncrypted ? ciphertext : 8) }
        let arguments = program.arguments.map(registerBytes).reduce(0, +)
        let isArgument = Set(program.arguments)
        let released = program.releasedRegisters()
        var live = arguments, peak = arguments, peakAt = 0
        for (position, instruction) in program.instructions.enumerated() {
            let destination = instruction.destination
            if !isArgument.contains(destination) { live += registerBytes(destination) }
            let scratch: Double
            switch instruction {
            case .lookup:   // the offset inputs and the keyswitched batch
                scratch = elements(destination) * (ciphertext + smallCiphertext)
                    + wideLookupScratch(bits: inputTypes[destination]?.width ?? 0, elements: elements(destination), p, wide)
            case .round:    // the step's scaled, top, low and cleared values, and a lookup's scratch
                scratch = elements(destination) * (5 * ciphertext + smallCiphertext)
            case let .decompose(_, input, _, _):   // a rounding's scratch and the chunk being built
                scratch = elements(input) * (6 * ciphertext + smallCiphertext)
            case .add, .subtract, .multiply, .concatenate:   // clear operands as trivial ciphertexts
                scratch = program.registers[destination].isEncrypted ? registerBytes(destination) : 0
            default:
                scratch = 0
            }
            if live + scratch > peak { (peak, peakAt) = (live + scratch, position) }
            for register in released[position] where !isArgument.contains(register) { live -= registerBytes(register) }
        }
        return (peak, peakAt)
    }
}

extension ResourceEstimate {
    /// The scratch of a wide lookup beyond a PBS's: the value and its shifted copy, one bit's PBS
    /// inputs and outputs (2^lookupsPerBootstrapLog each), circuit bootstrapping's levels (ℓ_cb
    /// per bit), and one ciphertext's GGSWs in Fourier form.
    static func wideLookupScratch(bits: Int, elements: Double, _ p: ParameterSet, _ wide: WideLookupParameters?) -> Double {
        guard WideLookupParameters.isWide(bits: bits, wide) else { return 0 }
        guard let wide else { return .infinity }
        let b = Double(bits), levels = Double(wide.circuitLevels), groups = Double(wide.bootstrapsPerBit)
        let lookups = Double(1 << wide.lookupsPerBootstrapLog)
        return elements * (2 + groups * (1 + lookups) + b * levels) * ciphertextBytes(p)
            + b * Double(p.glweSize * p.glweSize) * levels * Double(8 * p.polynomialSize)
    }

    /// Word operations of a clear operation: a product walks every (output, inner) pair, any other
    /// operation its outputs and inputs once.
    static func clearWork(_ operation: ClearOperation, inputShapes: [[Int]], outputCount: Double) -> Double {
        switch operation {
        case let .matmul(matrix): outputCount * Double(matrix.shape.first ?? 1)
        case let .dot(weights): Double(weights.elements.count)
        default: outputCount + inputShapes.map { Double(Tensor.elementCount(of: $0)) }.reduce(0, +)
        }
    }
}

/// "8.6 GB", "37.7 MB", "512 B": a byte count for messages.
func bytes(_ count: Double) -> String {
    for (unit, size) in [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)] where count >= size {
        return String(format: "%.1f", count / size) + " " + unit
    }
    return "\(Int(count)) B"
}
