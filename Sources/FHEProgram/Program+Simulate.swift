/// The virtual library of a `Program`: its run in the clear with the FHE encoding.
extension Program {
    /// Runs the program in the clear with the FHE encoding: what FHE returns when no lookup
    /// fails. The program must be valid (`validate(registerTypes:)`) and the arguments of its
    /// types and shapes (`CompiledProgram.validate(arguments:)`, `ClientSpecs`).
    /// - Throws: `EvaluationError` when a clear operation fails (an overflow, a
    ///   division by zero) or the result is not an integer.
    public func simulate(validatedArguments arguments: [Tensor], registerTypes: [IntegerType?]) throws -> Tensor {
        let values = try run(arguments, encodedSemantics(registerTypes: registerTypes))
        guard let result = values[result], let elements = result.integers else {
            throw EvaluationError("the result is not an integer")
        }
        let decoded = registers[self.result].isEncrypted ? elements.map(registerTypes[self.result]!.decode) : elements
        return Tensor(int64: decoded, shape: result.shape)
    }

    /// Encrypted registers hold values modulo 2^(width+1) (the padding bit), so levelled
    /// instructions wrap; a lookup of a value whose padding bit is set gives the negated entry,
    /// as the negacyclic PBS does.
    private func encodedSemantics(registerTypes: [IntegerType?]) -> Semantics {
        var lookups = [Int: (input: Int, table: [Int64])]()
        for case let .lookup(destination, input, table) in instructions { lookups[destination] = (input, table) }
        let inputTypes = lookupInputTypes(registerTypes: registerTypes)
        var decompositions = [Int: (Decomposition, input: IntegerType)]()
        for case let .decompose(destination, input, chunkBits, _) in instructions {
            decompositions[destination] = (Decomposition(chunkBits: chunkBits, destinationShape: registers[destination].shape),
                                           registerTypes[input]!)
        }
        return Semantics(
            lookup: { destination, position, value in
                let (input, table) = lookups[destination]!
                let type = inputTypes[destination]!, shift = registerTypes[input]!.width - type.width
                let index = type.encode((value >> shift) + type.lookupOffset), half = Int64(1) << type.width
                let start = table.count > Int(half) ? position * Int(half) : 0   // one table per element
                return index < half ? table[start + Int(index)] : 0 &- table[start + Int(index - half)]
            },
            encode: { register, elements in elements.map(registerTypes[register]!.encode) },
            levelledArithmetic: .wrapping,
            decompose: { destination, encoding in
                let (decomposition, inputType) = decompositions[destination]!
                return decomposition.encodedChunks(of: encoding, inputType: inputType, chunkType: registerTypes[destination]!)
            })
    }
}
