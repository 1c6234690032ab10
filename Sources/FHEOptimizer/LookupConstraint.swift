import FHEParameters
import Foundation

/// One kind of PBS a parameter set must serve, the decryption of a result, or a bit extraction
/// of a wide lookup: the precision of the value read and the 2-norms of the clear weights applied
/// on the way to it, to PBS outputs, to fresh encryptions and to wide-lookup outputs. A PBS
/// input's noise is ‖w‖₂²·V_pbs + ‖w_fresh‖₂²·σ_glwe² + V_ks + V_ms (`NoiseModel.tluInputVariance`);
/// a decrypted value has no keyswitch or modulus switch.
public struct LookupConstraint: Sendable, Hashable {
    /// How the value is read.
    public enum Kind: Sendable, Hashable {
        /// By a keyswitch + PBS: its noise meets the keyswitch's and the modulus switch's.
        case lookup
        /// By the client's decryption: no switch noise.
        case decryption
        /// By a wide lookup's bit extraction (`ServerKey.wideLookup`): the value, times 2^bits so
        /// that the bit read is on top, is keyswitched and bootstrapped by a many-LUT PBS; the
        /// switches' noise meets it at 4^−bits of its weight at the value's scale, the modulus
        /// switch's that of a PBS at N / 2^lookupsPerBootstrapLog.
        case bitExtraction
    }

    /// Bits of the value read (the message below the padding bit; for a bit extraction, the
    /// bits from the one read up to the top).
    public let bits: Int
    /// The 2-norm of the weights on the PBS outputs that reach it.
    public let norm2: Double
    /// The 2-norm of the weights on the fresh encryptions (arguments) that reach it.
    public let freshNorm2: Double
    /// The CMuxes of vertical packing whose noise reaches it: Σ w²·b over the b-bit wide-lookup
    /// outputs that reach it with clear weight w (`NoiseModel.wideLookupCMuxVariance` each).
    public let wideCMuxes: Double
    /// How it is read.
    public let kind: Kind

    public init(bits: Int, norm2: Double = 1, freshNorm2: Double = 0, wideCMuxes: Double = 0, kind: Kind = .lookup) {
        self.bits = bits
        self.norm2 = norm2
        self.freshNorm2 = freshNorm2
        self.wideCMuxes = wideCMuxes
        self.kind = kind
    }

    /// Whether the value is decrypted rather than bootstrapped.
    public var isDecryption: Bool { kind == .decryption }

    /// The factor on the keyswitch's and modulus switch's variance at the value's scale.
    public var switchWeight: Double {
        switch kind {
        case .lookup: 1
        case .decryption: 0
        case .bitExtraction: exp2(-2 * Double(bits))
        }
    }

    /// The variance of the value read, with parameter set `p` and, for the noise of wide-lookup
    /// outputs, decompositions `wide` (infinite without them when wide outputs reach it).
    public func variance(_ p: ParameterSet, wide: WideLookupParameters? = nil) -> Double {
        let switchedSize = kind == .bitExtraction ? p.polynomialSize >> (wide?.lookupsPerBootstrapLog ?? 0) : p.polynomialSize
        var variance = norm2 * norm2 * NoiseModel.bootstrapVariance(p) + freshNorm2 * freshNorm2 * p.glweNoiseStd * p.glweNoiseStd
            + switchWeight * (NoiseModel.keyswitchVariance(p)
                + NoiseModel.modulusSwitchVariance(lweDimension: p.lweDimension, polynomialSize: switchedSize))
        if kind == .bitExtraction && wide == nil { return .infinity }
        if wideCMuxes > 0 {
            guard let wide else { return .infinity }
            variance += wideCMuxes * NoiseModel.wideLookupVariance(p, bits: 1, wide: wide)
        }
        return variance
    }

    /// The probability that the value is read wrongly with parameter set `p` (and `wide`).
    public func failureProbability(_ p: ParameterSet, wide: WideLookupParameters? = nil) -> Double {
        NoiseModel.failureProbability(bits: bits, variance: variance(p, wide: wide))
    }

    /// Whether meeting `other` implies meeting this: same precision and kind, no larger weights.
    func isImplied(by other: LookupConstraint) -> Bool {
        bits == other.bits && kind == other.kind && norm2 <= other.norm2 && freshNorm2 <= other.freshNorm2
            && wideCMuxes <= other.wideCMuxes
    }
}
