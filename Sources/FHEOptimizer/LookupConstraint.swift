/// One kind of table lookup a parameter set must serve: the precision of its input and the
/// 2-norm of the clear weights applied to PBS outputs on the way to it (its input noise is
/// ‖w‖₂²·V_pbs + V_ks + V_ms).
public struct LookupConstraint: Sendable, Hashable {
    /// Bits of the lookup input (the message below the padding bit).
    public let bits: Int
    /// The 2-norm of the weights on the PBS outputs that reach the input.
    public let norm2: Double

    public init(bits: Int, norm2: Double = 1) {
        self.bits = bits
        self.norm2 = norm2
    }
}
