import FHEParameters

/// One kind of PBS a parameter set must serve, or the decryption of a result: the precision of
/// the value read and the 2-norms of the clear weights applied on the way to it, to PBS outputs
/// and to fresh encryptions. A PBS input's noise is ‖w‖₂²·V_pbs + ‖w_fresh‖₂²·σ_glwe² + V_ks + V_ms
/// (`NoiseModel.tluInputVariance`); a decrypted value has no keyswitch or modulus switch.
public struct LookupConstraint: Sendable, Hashable {
    /// Bits of the value read (the message below the padding bit).
    public let bits: Int
    /// The 2-norm of the weights on the PBS outputs that reach it.
    public let norm2: Double
    /// The 2-norm of the weights on the fresh encryptions (arguments) that reach it.
    public let freshNorm2: Double
    /// Whether the value is decrypted rather than bootstrapped.
    public let isDecryption: Bool

    public init(bits: Int, norm2: Double = 1, freshNorm2: Double = 0, isDecryption: Bool = false) {
        self.bits = bits
        self.norm2 = norm2
        self.freshNorm2 = freshNorm2
        self.isDecryption = isDecryption
    }

    /// The variance of the value read, with parameter set `p` (fraction of q²).
    public func variance(_ p: ParameterSet) -> Double {
        isDecryption
            ? norm2 * norm2 * NoiseModel.bootstrapVariance(p) + freshNorm2 * freshNorm2 * p.glweNoiseStd * p.glweNoiseStd
            : NoiseModel.tluInputVariance(p, norm2: norm2, freshNorm2: freshNorm2)
    }

    /// The probability that the value is read wrongly with parameter set `p`.
    public func failureProbability(_ p: ParameterSet) -> Double {
        NoiseModel.failureProbability(bits: bits, variance: variance(p))
    }

    /// Whether meeting `other` implies meeting this: same precision and kind, no larger weights.
    func isImplied(by other: LookupConstraint) -> Bool {
        bits == other.bits && isDecryption == other.isDecryption && norm2 <= other.norm2 && freshNorm2 <= other.freshNorm2
    }
}
