/// A table for one programmable bootstrapping: entry m is the output message for input message m.
/// (The compiler's `LookupTable` is the traced operation; this is what the PBS evaluates.)
public struct PBSTable: Sendable, Hashable {
    /// The 2^p output messages, one per input message.
    public let entries: [Int]
    /// The encoding of the inputs: p = log2(entries.count) bits.
    public let inputEncoding: MessageEncoding
    /// The encoding of the outputs.
    public let outputEncoding: MessageEncoding

    /// A table of 2^p entries; outputs are taken modulo 2^outputBits (default: p).
    /// - Throws: `TFHEError.invalidArgument` when the entry count is not a power of two ≥ 2.
    public init(entries: [Int], outputBits: Int? = nil) throws {
        guard entries.count >= 2, entries.count.nonzeroBitCount == 1 else {
            throw TFHEError.invalidArgument("a lookup table needs 2^p entries (p ≥ 1), got \(entries.count)")
        }
        let inputBits = entries.count.trailingZeroBitCount
        self.entries = entries
        inputEncoding = try MessageEncoding(bits: inputBits)
        outputEncoding = try MessageEncoding(bits: outputBits ?? inputBits)
    }

    /// The table of `function` on p-bit inputs.
    public init(inputBits: Int, outputBits: Int? = nil, function: (Int) throws -> Int) throws {
        let encoding = try MessageEncoding(bits: inputBits)
        try self.init(entries: (0..<encoding.messageCount).map(function), outputBits: outputBits ?? inputBits)
    }

    /// The identity on p-bit messages.
    public static func identity(bits: Int) throws -> PBSTable {
        try PBSTable(inputBits: bits) { $0 }
    }

    /// The output message for input m (taken modulo 2^p).
    public subscript(message: Int) -> Int {
        entries[message & (entries.count - 1)] & (outputEncoding.messageCount - 1)
    }
}

/// A lookup table laid out for the PBS: N torus coefficients, one box of N/2^p per input,
/// shifted by half a box so that rounding noise lands inside its box.
public struct TestPolynomial: Sendable, Hashable {
    /// The N coefficients.
    public let coefficients: [UInt64]
}
