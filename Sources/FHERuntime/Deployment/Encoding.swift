import FHEProgram
import TFHE

/// How a register's values sit on the torus: a value v of a type of width w is its encoding
/// (v mod 2^(w+1), `IntegerType.encode`) placed by `MessageEncoding`: one padding bit above the
/// message (DESIGN.md §3).
extension IntegerType {
    /// The plaintext of value `value`.
    func plaintext(_ value: Int64) -> UInt64 {
        MessageEncoding.plaintext(ofEncoding: UInt64(bitPattern: encode(value)), bits: width)
    }

    /// The encoding (a value mod 2^(w+1)) nearest to a phase.
    func encoding(ofPhase phase: UInt64) -> Int64 {
        Int64(MessageEncoding.encoding(ofPhase: phase, bits: width))
    }
}
