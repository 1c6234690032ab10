import FHEParameters

/// The binary form of a `Program` and its register types, inside a server artifact. Every
/// instruction is a tag then its registers (UInt32) and fields; a clear operation is a tag then its
/// fields (`ClearOperation`: a closed set, so every program can be written).
package enum ProgramCoding {
    package static let maximumRegisters = Limits.maximumRegisters, maximumInstructions = Limits.maximumInstructions, maximumTable = Program.maximumElements
    package static let maximumName = 64

    private enum InstructionTag: UInt8 {
        case argument = 1, constant, add, subtract, negate, multiply, sum, dot, matmul, reshape, transpose, index,
             concatenate, lookup, clear, round, linear, decompose
    }

    private enum OperationTag: UInt8 {
        case constant = 1, floatConstant, binary, unary, lookupTable, roundBitPattern, sum, dot, matmul, reshape,
             transpose, index, concatenate, linear
    }

    package static func write(_ program: Program, registerTypes: [IntegerType?], to writer: inout BinaryWriter) {
        writer.write(UInt64(program.registers.count))
        for (register, type) in zip(program.registers, registerTypes) {
            writer.write(shape: register.shape)
            writer.write(UInt8(register.isEncrypted ? 1 : 0))
            writer.write(UInt8(type.map { $0.isSigned ? 2 : 1 } ?? 0))
            writer.write(UInt8(type?.width ?? 0))
        }
        writer.write(array: program.arguments.map(UInt32.init))
        writer.write(UInt32(program.result))
        writer.write(UInt64(program.instructions.count))
        for instruction in program.instructions { write(instruction, to: &writer) }
    }

    private static func write(_ instruction: Program.Instruction, to writer: inout BinaryWriter) {
        func registers(_ tag: InstructionTag, _ values: Int...) {
            writer.write(tag.rawValue)
            for value in values { writer.write(UInt32(value)) }
        }
        switch instruction {
        case let .argument(d, index): registers(.argument, d, index)
        case let .constant(d, tensor): registers(.constant, d); write(tensor, to: &writer)
        case let .add(d, a, b): registers(.add, d, a, b)
        case let .subtract(d, a, b): registers(.subtract, d, a, b)
        case let .negate(d, a): registers(.negate, d, a)
        case let .multiply(d, e, c): registers(.multiply, d, e, c)
        case let .sum(d, a, axis): registers(.sum, d, a); write(axis: axis, to: &writer)
        case let .dot(d, a, weights): registers(.dot, d, a); write(weights, to: &writer)
        case let .matmul(d, a, matrix): registers(.matmul, d, a); write(matrix, to: &writer)
        case let .reshape(d, a, shape): registers(.reshape, d, a); writer.write(shape: shape)
        case let .transpose(d, a): registers(.transpose, d, a)
        case let .index(d, a, i): registers(.index, d, a); writer.write(Int64(i))
        case let .concatenate(d, parts): registers(.concatenate, d); writer.write(array: parts.map(UInt32.init))
        case let .lookup(d, a, table): registers(.lookup, d, a); writer.write(array: table)
        case let .round(d, a, lsbs, bitsPerStep): registers(.round, d, a); writer.write(Int64(lsbs)); writer.write(Int64(bitsPerStep))
        case let .linear(d, a, operation): registers(.linear, d, a); write(operation, to: &writer)
        case let .decompose(d, a, chunkBits, bitsPerStep):
            registers(.decompose, d, a); writer.write(Int64(chunkBits)); writer.write(Int64(bitsPerStep))
        case let .clear(d, operation, inputs):
            registers(.clear, d)
            writer.write(array: inputs.map(UInt32.init))
            write(operation, to: &writer)
        }
    }

    private static func write(_ operation: ClearOperation, to writer: inout BinaryWriter) {
        func tag(_ tag: OperationTag) { writer.write(tag.rawValue) }
        func name(_ name: String) { writer.write(array: Array(name.utf8)) }
        switch operation {
        case let .constant(tensor): tag(.constant); write(tensor, to: &writer)
        case let .floatConstant(value): tag(.floatConstant); writer.write(value)
        case let .binary(operation): tag(.binary); name(operation.rawValue)
        case let .unary(operation): tag(.unary); name(operation.rawValue)
        case let .lookupTable(table): tag(.lookupTable); writer.write(array: table)
        case let .roundBitPattern(lsbs): tag(.roundBitPattern); writer.write(Int64(lsbs))
        case let .sum(axis): tag(.sum); write(axis: axis, to: &writer)
        case let .dot(weights): tag(.dot); write(weights, to: &writer)
        case let .matmul(matrix): tag(.matmul); write(matrix, to: &writer)
        case let .reshape(shape): tag(.reshape); writer.write(shape: shape)
        case .transpose: tag(.transpose)
        case let .index(i): tag(.index); writer.write(Int64(i))
        case .concatenate: tag(.concatenate)
        case let .linear(operation): tag(.linear); write(operation, to: &writer)
        }
    }

    private static func write(_ operation: LinearOperation, to writer: inout BinaryWriter) {
        writer.write(array: Array(operation.name.utf8))
        writer.write(shape: operation.inputShape)
        writer.write(shape: operation.outputShape)
        writer.write(array: operation.map.rowStarts.map(UInt64.init))
        writer.write(array: operation.map.inputs.map(UInt32.init))
        writer.write(array: operation.map.weights)
    }

    private static func write(_ tensor: Tensor, to writer: inout BinaryWriter) {
        writer.write(shape: tensor.shape)
        for element in tensor.elements { writer.write(element) }
    }

    private static func write(axis: Int?, to writer: inout BinaryWriter) {
        writer.write(UInt8(axis == nil ? 0 : 1))
        writer.write(Int64(axis ?? 0))
    }

    // MARK: reading

    /// Reads a program and its register types, then validates the program (`Program.validate`).
    package static func read(from reader: inout BinaryReader) throws -> (Program, [IntegerType?]) {
        let registerCount = try reader.readCount(itemSize: 11, limit: maximumRegisters, what: "registers")
        var registers = [Program.Register](), types = [IntegerType?]()
        for _ in 0..<registerCount {
            let shape = try reader.readShape()
            let encrypted = try reader.read(UInt8.self), kind = try reader.read(UInt8.self), width = Int(try reader.read(UInt8.self))
            guard encrypted <= 1, kind <= 2, (kind == 0) == (width == 0), width <= Limits.maximumIntegerBitWidth else {
                throw DeserializationError.invalidValue("a register type (encrypted \(encrypted), kind \(kind), width \(width)) is out of range")
            }
            registers.append(Program.Register(shape: shape, isEncrypted: encrypted == 1))
            types.append(kind == 0 ? nil : IntegerType(isSigned: kind == 2, width: width))
        }
        let arguments = try reader.read(array: UInt32.self, limit: Limits.maximumArguments, what: "arguments").map(Int.init)
        let result = Int(try reader.read(UInt32.self))
        let count = try reader.readCount(itemSize: 5, limit: maximumInstructions, what: "instructions")
        let instructions = try (0..<count).map { _ in try readInstruction(from: &reader) }
        let program = Program(registers: registers, instructions: instructions, arguments: arguments, result: result)
        do {
            try program.validate(registerTypes: types)
        } catch let invalid as InvalidProgram {
            throw DeserializationError.invalidValue(invalid.description)
        }
        return (program, types)
    }

    private static func readInstruction(from reader: inout BinaryReader) throws -> Program.Instruction {
        let byte = try reader.read(UInt8.self)
        guard let tag = InstructionTag(rawValue: byte) else { throw DeserializationError.invalidValue("instruction tag \(byte) is unknown") }
        func register() throws -> Int { Int(try reader.read(UInt32.self)) }
        let d = try register()
        switch tag {
        case .argument: return .argument(d, index: try register())
        case .constant: return .constant(d, try readTensor(from: &reader))
        case .add: return .add(d, try register(), try register())
        case .subtract: return .subtract(d, try register(), try register())
        case .negate: return .negate(d, try register())
        case .multiply: return .multiply(d, encrypted: try register(), clear: try register())
        case .sum: return .sum(d, try register(), axis: try readAxis(from: &reader))
        case .dot: return .dot(d, try register(), weights: try readTensor(from: &reader))
        case .matmul: return .matmul(d, try register(), matrix: try readTensor(from: &reader))
        case .reshape: return .reshape(d, try register(), shape: try reader.readShape())
        case .transpose: return .transpose(d, try register())
        case .index: return .index(d, try register(), try readInt(from: &reader))
        case .concatenate:
            return .concatenate(d, try reader.read(array: UInt32.self, limit: maximumRegisters, what: "parts").map(Int.init))
        case .lookup: return .lookup(d, try register(), table: try reader.read(array: Int64.self, limit: maximumTable, what: "table entries"))
        case .round:
            return .round(d, try register(), lsbsToRemove: try readInt(from: &reader), bitsPerStep: try readInt(from: &reader))
        case .linear: return .linear(d, try register(), try readLinear(from: &reader))
        case .decompose:
            return .decompose(d, try register(), chunkBits: try readInt(from: &reader), bitsPerStep: try readInt(from: &reader))
        case .clear:
            let inputs = try reader.read(array: UInt32.self, limit: maximumRegisters, what: "operands").map(Int.init)
            return .clear(d, try readOperation(from: &reader), inputs)
        }
    }

    private static func readOperation(from reader: inout BinaryReader) throws -> ClearOperation {
        let byte = try reader.read(UInt8.self)
        guard let tag = OperationTag(rawValue: byte) else { throw DeserializationError.invalidValue("operation tag \(byte) is unknown") }
        func name() throws -> String {
            String(decoding: try reader.read(array: UInt8.self, limit: maximumName, what: "name bytes"), as: UTF8.self)
        }
        switch tag {
        case .constant: return .constant(try readTensor(from: &reader))
        case .floatConstant: return .floatConstant(try reader.readDouble())
        case .binary:
            let text = try name()
            guard let operation = BinaryOperation(rawValue: text) else { throw DeserializationError.invalidValue("unknown operation \(text)") }
            return .binary(operation)
        case .unary:
            let text = try name()
            guard let operation = UnaryOperation(rawValue: text) else { throw DeserializationError.invalidValue("unknown operation \(text)") }
            return .unary(operation)
        case .lookupTable: return .lookupTable(try reader.read(array: Int64.self, limit: maximumTable, what: "table entries"))
        case .roundBitPattern:
            let lsbs = try readInt(from: &reader)
            guard (0...62).contains(lsbs) else { throw DeserializationError.invalidValue("round_bit_pattern of \(lsbs) bits") }
            return .roundBitPattern(lsbsToRemove: lsbs)
        case .sum: return .sum(axis: try readAxis(from: &reader))
        case .dot: return .dot(try readTensor(from: &reader))
        case .matmul: return .matmul(try readTensor(from: &reader))
        case .reshape: return .reshape(try reader.readShape())
        case .transpose: return .transpose
        case .index: return .index(try readInt(from: &reader))
        case .concatenate: return .concatenate
        case .linear: return .linear(try readLinear(from: &reader))
        }
    }

    /// A linear operation, its map checked against its shapes (`LinearOperation.problem`).
    private static func readLinear(from reader: inout BinaryReader) throws -> LinearOperation {
        let name = String(decoding: try reader.read(array: UInt8.self, limit: maximumName, what: "name bytes"), as: UTF8.self)
        let inputShape = try reader.readShape(), outputShape = try reader.readShape()
        let rowStarts = try reader.read(array: UInt64.self, limit: maximumTable + 1, what: "rows")
        let inputs = try reader.read(array: UInt32.self, limit: maximumTable, what: "terms")
        let weights = try reader.read(array: Int64.self, limit: maximumTable, what: "weights")
        guard rowStarts.allSatisfy({ $0 <= UInt64(maximumTable) }), inputs.allSatisfy({ $0 <= UInt32(Int32.max) }) else {
            throw DeserializationError.invalidValue("\(name): a row start or term is out of range")
        }
        let operation = LinearOperation(
            name: name, inputShape: inputShape, outputShape: outputShape,
            map: LinearMap(rowStarts: rowStarts.map { Int($0) }, inputs: inputs.map { Int32($0) }, weights: weights))
        if let problem = operation.problem { throw DeserializationError.invalidValue(problem) }
        return operation
    }

    private static func readTensor(from reader: inout BinaryReader) throws -> Tensor {
        let shape = try reader.readShape()
        let count = Tensor.elementCount(of: shape)
        guard reader.remaining / 8 >= count else { throw DeserializationError.truncated(needed: count * 8, available: reader.remaining) }
        return Tensor(int64: try (0..<count).map { _ in try reader.read(Int64.self) }, shape: shape)
    }

    private static func readAxis(from reader: inout BinaryReader) throws -> Int? {
        let present = try reader.read(UInt8.self), axis = try readInt(from: &reader)
        guard present <= 1 else { throw DeserializationError.invalidValue("axis flag \(present)") }
        return present == 1 ? axis : nil
    }

    private static func readInt(from reader: inout BinaryReader) throws -> Int {
        let value = try reader.read(Int64.self)
        guard value.magnitude <= UInt64(Program.maximumElements) else { throw DeserializationError.invalidValue("index \(value) is out of range") }
        return Int(value)
    }
}
