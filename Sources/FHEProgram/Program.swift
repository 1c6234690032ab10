/// A compiled program: a flat list of instructions over registers, what the FHE runtime runs.
///
/// Encrypted registers hold values of their register's integer type, encoded with one padding
/// bit: levelled instructions compute modulo 2^(width+1), and a lookup of a value whose padding
/// bit is set returns the negated entry (the negacyclic wrap of the PBS). `simulate` reproduces
/// exactly that, so it returns what FHE returns when no lookup fails.
public struct Program: Sendable {
    /// One register per value.
    public struct Register: Sendable, Hashable {
        public let shape: [Int]
        public let isEncrypted: Bool

        /// The number of elements.
        public var elementCount: Int { Tensor.elementCount(of: shape) }

        public init(shape: [Int], isEncrypted: Bool) {
            self.shape = shape
            self.isEncrypted = isEncrypted
        }
    }

    /// The instructions. The first operand is the destination register.
    public enum Instruction: Sendable {
        /// Argument `index` of the circuit.
        case argument(Int, index: Int)
        /// A clear integer constant.
        case constant(Int, Tensor)
        /// a + b or a − b, elementwise with broadcasting; each operand encrypted or clear.
        case add(Int, Int, Int)
        case subtract(Int, Int, Int)
        case negate(Int, Int)
        /// An encrypted operand times a clear one, elementwise with broadcasting.
        case multiply(Int, encrypted: Int, clear: Int)
        case sum(Int, Int, axis: Int?)
        case dot(Int, Int, weights: Tensor)
        case matmul(Int, Int, matrix: Tensor)
        case reshape(Int, Int, shape: [Int])
        case transpose(Int, Int)
        case index(Int, Int, Int)
        case concatenate(Int, [Int])
        /// A linear map given by its terms (convolutions, pooling sums, padding, gathers).
        case linear(Int, Int, LinearOperation)
        /// A table lookup on every element: entry i is the result for the input value i (unsigned
        /// types) or i − 2^(width−1) (signed types, which the runtime offsets by 2^(width−1) before
        /// the PBS so that they stay below the padding bit). 2^width entries: one table for every
        /// element; 2^width times the element count: one table per element, in order.
        case lookup(Int, Int, table: [Int64])
        /// A value computed in the clear from clear registers.
        case clear(Int, ClearOperation, [Int])
        /// An encrypted value rounded to the nearest multiple of 2^lsbsToRemove (halves up), in
        /// the operand's encoding: the runtime clears the low bits with PBS, `bitsPerStep` of them
        /// per step (`RoundingStep`), or none for an approximate rounding (`bitsPerStep` =
        /// `RoundingStep.approximate`: the result is only read by lookups). A lookup of the result
        /// reads only width − lsbsToRemove bits.
        case round(Int, Int, lsbsToRemove: Int, bitsPerStep: Int)
        /// An encrypted value split into chunks of `chunkBits` bits (`Decomposition`): the
        /// destination has the input's shape with the chunks on a new first axis, the lowest
        /// first, each chunk a value of the destination's own type. The lower chunks' bits are
        /// cleared `bitsPerStep` at a time (`RoundingStep`).
        case decompose(Int, Int, chunkBits: Int, bitsPerStep: Int)

        /// The destination register.
        public var destination: Int {
            switch self {
            case let .argument(d, _), let .constant(d, _), let .add(d, _, _), let .subtract(d, _, _), let .negate(d, _),
                 let .multiply(d, _, _), let .sum(d, _, _), let .dot(d, _, _), let .matmul(d, _, _), let .reshape(d, _, _),
                 let .transpose(d, _), let .index(d, _, _), let .concatenate(d, _), let .lookup(d, _, _), let .clear(d, _, _),
                 let .round(d, _, _, _), let .linear(d, _, _), let .decompose(d, _, _, _):
                d
            }
        }

        /// The registers read.
        public var operands: [Int] {
            switch self {
            case .argument, .constant: []
            case let .add(_, a, b), let .subtract(_, a, b), let .multiply(_, a, b): [a, b]
            case let .negate(_, a), let .sum(_, a, _), let .dot(_, a, _), let .matmul(_, a, _), let .reshape(_, a, _),
                 let .transpose(_, a), let .index(_, a, _), let .lookup(_, a, _), let .round(_, a, _, _), let .linear(_, a, _),
                 let .decompose(_, a, _, _): [a]
            case let .concatenate(_, parts): parts
            case let .clear(_, _, inputs): inputs
            }
        }

        /// Whether the instruction is levelled: its encrypted operands share its encoding.
        package var isLevelled: Bool {
            switch self {
            case .argument, .constant, .lookup, .clear, .decompose: false
            default: true
            }
        }
    }

    public package(set) var registers: [Register] = []
    public package(set) var instructions: [Instruction] = []
    /// The register of each argument.
    public package(set) var arguments: [Int] = []
    /// The register of the result.
    public package(set) var result: Int = 0

    package init() {}

    /// A program read from elsewhere (a server artifact): call `validate(registerTypes:)` before
    /// running it.
    public init(registers: [Register], instructions: [Instruction], arguments: [Int], result: Int) {
        self.registers = registers
        self.instructions = instructions
        self.arguments = arguments
        self.result = result
    }

    /// The table lookups one run performs, counting every element.
    public var lookupCount: Int {
        instructions.reduce(0) { count, instruction in
            if case let .lookup(destination, _, _) = instruction {
                return count + Tensor.elementCount(of: registers[destination].shape)
            }
            return count
        }
    }

    /// The keyswitches + PBS one run performs: every lookup element and every PBS of the
    /// roundings and decompositions.
    public var bootstrapCount: Int {
        instructions.reduce(lookupCount) { count, instruction in
            switch instruction {
            case let .round(destination, _, lsbs, bitsPerStep):
                let perElement = RoundingStep.bootstrapCount(lsbsToRemove: lsbs, bitsPerStep: bitsPerStep)
                return count + perElement * Tensor.elementCount(of: registers[destination].shape)
            case let .decompose(_, input, chunkBits, bitsPerStep):
                let decomposition = Decomposition(chunkBits: chunkBits, destinationShape: registers[instruction.destination].shape)
                return count + decomposition.bootstrapCount(bitsPerStep: bitsPerStep) * registers[input].elementCount
            default:
                return count
            }
        }
    }
}
