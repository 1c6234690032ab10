extension CompiledProgram {
    /// The widest clear input a Swift function may have for `portableProgram()` to tabulate it.
    public static let maximumTabulatedWidth = 16

    /// The program with every Swift function on clear values (`apply`, fused subgraphs) replaced
    /// by its table over the input's type, so that it can be written to a file and run elsewhere.
    /// Table entry i holds the result for i, negative inputs index from the end (`.lookupTable`).
    /// - Throws: `CompilationError.argument` when such a function's input is wider than
    ///   `maximumTabulatedWidth` bits.
    public func portableProgram() throws -> Program {
        var portable = program
        portable.instructions = try program.instructions.map { instruction in
            guard case let .clear(destination, operation, inputs) = instruction else { return instruction }
            switch operation {
            case .apply, .fused:
                guard let type = registerTypes[inputs[0]], type.width <= Self.maximumTabulatedWidth else {
                    throw CompilationError.argument("\(operation.name) on a clear value wider than \(Self.maximumTabulatedWidth) bits "
                        + "cannot be saved: compute it before calling the circuit, or narrow its input")
                }
                let count = Int64(1) << type.width
                let table = try (0..<count).map { index -> Int64 in
                    let value = type.isSigned && index >= count / 2 ? index - count : index
                    return try operation.evaluate(shape: [], operands: [Tensor(int64: [value], shape: [])]).scalar
                }
                return .clear(destination, .lookupTable(table), inputs)
            default:
                return instruction
            }
        }
        return portable
    }
}
