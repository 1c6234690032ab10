import FHEParameters

/// The encoding of p-bit messages with one padding bit: μ = m·Δ with Δ = q / 2^(p+1).
///
/// The padding bit keeps the phase of an in-range message below q/2, which the negacyclic PBS
/// needs; decoding rounds the phase to the nearest multiple of Δ.
public struct MessageEncoding: Sendable, Hashable, CustomStringConvertible {
    /// p: bits of message.
    public let bits: Int

    /// Bits of message supported: 1 to 16 (the PBS decodes at most log2(N) − 1 bits).
    public static let supportedBits = Limits.messageBits

    /// - Throws: `TFHEError.invalidArgument` outside `supportedBits`.
    public init(bits: Int) throws {
        guard Self.supportedBits.contains(bits) else {
            throw TFHEError.invalidArgument("messages of \(bits) bits cannot be encoded: choose 1…16 bits")
        }
        self.bits = bits
    }

    /// Δ = 2^(63 − p): the scaling of a message on the torus.
    public var delta: UInt64 { UInt64(1) << (63 - bits) }

    /// 2^p: the number of messages.
    public var messageCount: Int { 1 << bits }

    /// The plaintext of message m, taken modulo 2^p (negative values wrap).
    public func encode(_ message: Int) -> UInt64 {
        Self.plaintext(ofEncoding: UInt64(truncatingIfNeeded: message) & UInt64(messageCount - 1), bits: bits)
    }

    /// The message nearest to a phase, modulo 2^p (an overflow into the padding bit wraps).
    public func decode(_ phase: UInt64) -> Int {
        Int(Self.encoding(ofPhase: phase, bits: bits) & UInt64(messageCount - 1))
    }

    /// The one definition of the torus encoding, for any width p in 1…62 (the runtime's integer
    /// types too): encoding e, a value modulo 2^(p+1) with its padding bit, is the plaintext
    /// e·Δ = e·2^(63−p); higher bits of e drop out of the word.
    public static func plaintext(ofEncoding encoding: UInt64, bits p: Int) -> UInt64 {
        encoding << UInt64(63 - p)
    }

    /// The encoding (modulo 2^(p+1), padding bit included) nearest to a phase: the phase over Δ,
    /// rounded half up.
    public static func encoding(ofPhase phase: UInt64, bits p: Int) -> UInt64 {
        ((phase >> UInt64(62 - p)) &+ 1) >> 1 & ((1 << UInt64(p + 1)) &- 1)
    }

    public var description: String { "\(bits)-bit messages with a padding bit" }
}
