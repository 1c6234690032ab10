import FHEProgram

/// How a register's values sit on the torus: a value v of a type of width w is the plaintext
/// (v mod 2^(w+1))·q/2^(w+1), one padding bit above the message (DESIGN.md §3).
extension IntegerType {
    /// The plaintext of value `value`.
    func plaintext(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: value) << UInt64(63 - width)   // the shift drops multiples of 2^(w+1)
    }

    /// The encoding (a value mod 2^(w+1)) nearest to a phase.
    func encoding(ofPhase phase: UInt64) -> Int64 {
        let rounded = ((phase >> UInt64(62 - width)) &+ 1) >> 1
        return Int64(rounded & ((1 << UInt64(width + 1)) - 1))
    }
}
