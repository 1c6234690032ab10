import FHEProgram

/// The last pass: every table of the program, from the functions lowering recorded.
extension LoweredProgram {
    /// Exact roundings clear as many bits per step as the widest lookup's precision allows (+ 1).
    /// So do decompositions for each chunk.
    mutating func chooseRoundingSteps(widestLookup: Int) {
        func bitsPerStep(_ lsbs: Int) -> Int { lsbs == 1 ? 1 : min(lsbs, max(2, widestLookup + 1)) }
        for (position, instruction) in program.instructions.enumerated() {
            switch instruction {
            case let .round(destination, input, lsbs, current) where current != RoundingStep.approximate:
                program.instructions[position] = .round(destination, input, lsbsToRemove: lsbs, bitsPerStep: bitsPerStep(lsbs))
            case let .decompose(destination, input, chunkBits, _):
                program.instructions[position] = .decompose(destination, input, chunkBits: chunkBits, bitsPerStep: bitsPerStep(chunkBits))
            default:
                continue
            }
        }
    }

    /// Fills the lookup tables over their input type's encodings (narrowed after a rounding) and
    /// the clear tables over their input's type. Entries outside the measured bounds that the
    /// function rejects (an index out of range) are 0; a lookup's entries outside its result's
    /// type are wrapped into it (what decryption would give), in FHE and in simulate alike.
    mutating func fillTables(types: [IntegerType?], lookupTypes: [Int: IntegerType]) {
        for (position, instruction) in program.instructions.enumerated() {
            switch instruction {
            case let .lookup(destination, input, _):
                let type = lookupTypes[destination]!, shift = types[input]!.width - type.width, output = types[destination]!
                let function = functions[destination]!
                let positions = perElement.contains(destination) ? program.registers[destination].elementCount : 1
                let table = (0..<positions).flatMap { position in
                    (0..<(Int64(1) << type.width)).map { output.wrapping((try? function(position, type.value(ofEntry: $0) << shift)) ?? 0) }
                }
                program.instructions[position] = .lookup(destination, input, table: table)
            case let .clear(destination, _, inputs):
                guard let function = clearFunctions[destination], let type = types[inputs[0]] else { continue }
                // Entry i is the result for i, negative values from the end (`ClearOperation.lookupTable`).
                let count = Int64(1) << type.width
                let table = (0..<count).map { entry in
                    (try? function(type.isSigned && entry >= count / 2 ? entry - count : entry)) ?? 0
                }
                program.instructions[position] = .clear(destination, .lookupTable(table), inputs)
            default:
                continue
            }
        }
    }
}
