import FHEParameters
import FHEProgram

/// The width checks of compilation: every PBS input, encrypted value and clear table must fit
/// what the runtime supports. All failures are reported at once, on the printed graph.
extension LoweredProgram {
    /// Checks the roundings, the lookup input widths, the encrypted widths and the clear tables.
    /// - Throws: `CompilationError.incompatible` marking every offending node.
    func checkWidths(graph: Graph, bounds: [ClosedRange<Int64>?], types: [IntegerType?], lookupTypes: [Int: IntegerType]) throws {
        var report = CompatibilityReport(graph: graph, bounds: nodeRegister.map { bounds[$0] }, types: nodeRegister.map { types[$0] })
        checkRoundings(types: types, into: &report)
        checkLookups(lookupTypes: lookupTypes, into: &report)
        checkDecompositions(types: types, into: &report)
        checkEncryptedWidths(types: types, into: &report)
        checkClearTables(types: types, into: &report)
        guard report.isEmpty else {
            throw report.error(advice: "Narrow the inputset, round lookup inputs with roundBitPattern, or use fewer quantization bits "
                + "or smaller weights so that every table lookup input fits \(Limits.maximumWideLookupBitWidth) bits.")
        }
    }

    /// A rounding must leave at least one bit.
    private func checkRoundings(types: [IntegerType?], into report: inout CompatibilityReport) {
        for case let .round(destination, input, lsbs, _) in program.instructions where lsbs >= types[input]!.width {
            report.mark(registerNode[destination],
                        ["round_bit_pattern removes \(lsbs) bits of a \(types[input]!.width)-bit value", "remove fewer bits"])
        }
    }

    /// Every lookup input fits `Limits.maximumWideLookupBitWidth` bits (wider than
    /// `Limits.maximumLookupBitWidth`, a wide lookup).
    private func checkLookups(lookupTypes: [Int: IntegerType], into report: inout CompatibilityReport) {
        for case let .lookup(destination, input, _) in program.instructions {
            let width = lookupTypes[destination]!.width
            guard width > Limits.maximumWideLookupBitWidth else { continue }
            let node = registerNode[input]
            let ownValue = nodeRegister[node] == input
            let subject = ownValue ? "this \(width)-bit value is used as an input to a table lookup"
                : "this operation is computed by a table lookup of a \(width)-bit intermediate value"
            report.mark(ownValue ? node : registerNode[destination],
                        [subject, "but only up to \(Limits.maximumWideLookupBitWidth)-bit table lookups are supported"])
        }
    }

    /// A decomposition's top chunk is a lookup of the value's top bits: it fits
    /// `Limits.maximumLookupBitWidth` bits.
    private func checkDecompositions(types: [IntegerType?], into report: inout CompatibilityReport) {
        for case let .decompose(destination, input, chunkBits, _) in program.instructions {
            let decomposition = Decomposition(chunkBits: chunkBits, destinationShape: program.registers[destination].shape)
            let width = decomposition.topInputType(types[input]!).width
            guard width > Limits.maximumLookupBitWidth || decomposition.topLow >= types[input]!.width else { continue }
            report.mark(registerNode[destination], [
                "this operation splits a \(types[input]!.width)-bit value into \(decomposition.chunkCount) chunks of \(chunkBits) bits",
                "but its top chunk needs a \(width)-bit table lookup: narrow the values it is computed with"])
        }
    }

    /// Encrypted values are messages of a ciphertext: beyond `Limits.maximumEncryptedBitWidth`
    /// bits no parameter set keeps them.
    private func checkEncryptedWidths(types: [IntegerType?], into report: inout CompatibilityReport) {
        for (register, type) in types.enumerated() where program.registers[register].isEncrypted {
            guard let type, type.width > Limits.maximumEncryptedBitWidth else { continue }
            report.mark(registerNode[register], ["this encrypted value needs \(type.width) bits",
                                                 "but encrypted values are limited to \(Limits.maximumEncryptedBitWidth) bits"])
        }
    }

    /// A Swift function on a clear value becomes a table over the input's type: at most
    /// `Limits.maximumClearTableBitWidth` bits.
    private func checkClearTables(types: [IntegerType?], into report: inout CompatibilityReport) {
        for case let .clear(destination, _, inputs) in program.instructions where clearFunctions[destination] != nil {
            guard let type = types[inputs[0]], type.width > Limits.maximumClearTableBitWidth else { continue }
            report.mark(registerNode[destination], [
                "this Swift function of a \(type.width)-bit clear value is written as a table of its input's type",
                "but such tables are limited to \(Limits.maximumClearTableBitWidth)-bit inputs: compute it before calling the "
                    + "circuit, or narrow its input"])
        }
    }
}
