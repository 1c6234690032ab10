import Foundation

/// The noise of the TFHE atomic pattern, as variances that are fractions of q² (q = 2^64).
///
/// These are the formulas tfhe-rs generates for its Gaussian parameter sets
/// (`core_crypto/commons/noise_formulas`), which follow Chillotti et al., "TFHE: Fast Fully
/// Homomorphic Encryption over the Torus" (J. Cryptology 2020) and Bergerat et al., "Parameter
/// Optimization and Larger Precision for (T)FHE" (J. Cryptology 2023, ePrint 2022/704).
/// Decomposition digits are uniform in [−B/2, B/2), so a digit has variance B²/12 + 1/6 with the
/// rounding carry; keys are binary and uniform.
public enum NoiseModel {
    /// 1/q².
    static let inverseQSquared = exp2(-128.0)

    /// E[d²] of a decomposition digit of base `base`: uniform in [−B/2, B/2), B²/12, plus 1/6
    /// for the rounding carry.
    static func digitVariance(base: Double) -> Double { base * base / 12 + 1.0 / 6 }

    /// The variance of the noise in an encryption under a key of dimension `dimension` whose
    /// noise is the secure minimum: σ_min(d)².
    public static func minimumKeyVariance(dimension: Int, securityLevel: SecurityLevel = .bits128) -> Double {
        exp2(2 * securityLevel.minimumNoiseLog2Std(dimension: dimension))
    }

    /// Keyswitch from dimension kN to n:
    /// V_ks = ℓ_ks·kN·V_key(n)·(B_ks²/12 + 1/6) + kN·(q⁻²/48 + B_ks^(−2ℓ_ks)/24).
    /// The first term is the key noise carried by the digits, the second the rounding of the
    /// inputs to ℓ_ks·β_ks bits.
    public static func keyswitchVariance(_ p: ParameterSet) -> Double {
        Double(p.bigLWEDimension) * keyswitchVariancePerInput(
            lweKeyVariance: p.lweNoiseStd * p.lweNoiseStd, baseLog: p.ksBaseLog, levels: p.ksLevelCount)
    }

    /// V_ks / kN: the keyswitch noise per input coefficient, for a key of noise variance
    /// `lweKeyVariance`: ℓ_ks·V_key(n)·(B_ks²/12 + 1/6) + q⁻²/48 + B_ks^(−2ℓ_ks)/24.
    public static func keyswitchVariancePerInput(lweKeyVariance: Double, baseLog: Int, levels: Int) -> Double {
        let base = exp2(Double(baseLog))
        return Double(levels) * lweKeyVariance * digitVariance(base: base)
            + inverseQSquared / 48 + pow(base, -2 * Double(levels)) / 24
    }

    /// Modulus switch to 2N with plain rounding: V_ms = n·(q⁻²/48 + (2N)⁻²/24) + (2N)⁻²/12.
    public static func modulusSwitchVariance(_ p: ParameterSet) -> Double {
        modulusSwitchVariance(lweDimension: p.lweDimension, polynomialSize: p.polynomialSize)
    }

    /// V_ms for dimension n and polynomial size N.
    public static func modulusSwitchVariance(lweDimension: Int, polynomialSize: Int) -> Double {
        let inverseTwoN = 1 / Double(2 * polynomialSize)
        return Double(lweDimension) * (inverseQSquared / 48 + inverseTwoN * inverseTwoN / 24)
            + inverseTwoN * inverseTwoN / 12
    }

    /// The constant of the FFT noise fit (tfhe-rs' value for its f64 FFT; the tests measure it
    /// on this runtime's FFTW-based products and find it agrees, see docs/parameters.md).
    public static let fftNoiseConstant = 0.00705

    /// The noise the f64 FFT adds per external product (an empirical fit in tfhe-rs):
    /// V_fft ≈ c·2^22·B²·q⁻²·ℓ^1.018·k^1.220·N^2.220·(k+1)^1.018, c = `constant`.
    public static func fftVariance(_ p: ParameterSet, constant: Double = fftNoiseConstant) -> Double {
        fftVariance(glweDimension: p.glweDimension, polynomialSize: p.polynomialSize,
                    baseLog: p.pbsBaseLog, levels: p.pbsLevelCount, constant: constant)
    }

    /// V_fft for (k, N, β, ℓ).
    public static func fftVariance(glweDimension k: Int, polynomialSize size: Int, baseLog: Int, levels: Int,
                                   constant: Double = fftNoiseConstant) -> Double {
        let base = exp2(Double(baseLog))
        return constant * exp2(22) * base * base * inverseQSquared
            * pow(Double(levels), 1.018) * pow(Double(k), 1.220)
            * pow(Double(size), 2.220) * pow(Double(k + 1), 1.018)
    }

    /// PBS output: V_pbs = n·[V_fft + ℓ(k+1)N·V_key(kN)·(B²/12 + 1/6) + (kN/2)·(q⁻²/48 + B^(−2ℓ)/24)
    /// + B^(−2ℓ)/24], n external products each adding the key noise times the digits, the rounding
    /// of the decomposition and the FFT noise.
    public static func bootstrapVariance(_ p: ParameterSet, fftConstant: Double = fftNoiseConstant) -> Double {
        Double(p.lweDimension) * externalProductVariance(
            glweDimension: p.glweDimension, polynomialSize: p.polynomialSize, baseLog: p.pbsBaseLog,
            levels: p.pbsLevelCount, glweKeyVariance: p.glweNoiseStd * p.glweNoiseStd, fftConstant: fftConstant)
    }

    /// V_pbs / n: the noise one CMux of the blind rotation adds.
    public static func externalProductVariance(glweDimension: Int, polynomialSize: Int, baseLog: Int, levels: Int,
                                               glweKeyVariance: Double, fftConstant: Double = fftNoiseConstant) -> Double {
        let base = exp2(Double(baseLog))
        let l = Double(levels), k = Double(glweDimension), size = Double(polynomialSize)
        let rounding = pow(base, -2 * l) / 24
        return fftVariance(glweDimension: glweDimension, polynomialSize: polynomialSize, baseLog: baseLog,
                           levels: levels, constant: fftConstant)
            + l * (k + 1) * size * glweKeyVariance * digitVariance(base: base)
            + (k * size / 2) * (inverseQSquared / 48 + rounding)
            + rounding
    }

    /// The variance at a TLU input, after a dot product with clear weights of 2-norm `norm2` on
    /// PBS outputs and `freshNorm2` on fresh encryptions (under the big key, noise σ_glwe):
    /// V = ‖w‖₂²·V_pbs + ‖w_fresh‖₂²·σ_glwe² + V_ks + V_ms.
    public static func tluInputVariance(_ p: ParameterSet, norm2: Double = 1, freshNorm2: Double = 0) -> Double {
        norm2 * norm2 * bootstrapVariance(p) + freshNorm2 * freshNorm2 * p.glweNoiseStd * p.glweNoiseStd
            + keyswitchVariance(p) + modulusSwitchVariance(p)
    }

    /// The probability that one TLU on `bits`-bit messages decodes wrongly: noise of variance
    /// `variance` exceeds half a box, |e| > q/2^(bits+2): erfc(2^−(bits+2) / √(2V)).
    public static func failureProbability(bits: Int, variance: Double) -> Double {
        erfc(exp2(-Double(bits + 2)) / (2 * variance).squareRoot())
    }

    /// The largest variance at a TLU input for which one `bits`-bit lookup fails with probability
    /// at most `failureProbability` (the inverse of `failureProbability(bits:variance:)`, by
    /// bisection on log2 V; erfc is monotone).
    public static func maximumVariance(bits: Int, failureProbability target: Double) -> Double {
        var low = -300.0, high = 0.0   // log2 V: failure ≈ 0 at the low end, ≈ 1 at the high end
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if failureProbability(bits: bits, variance: exp2(middle)) <= target { low = middle } else { high = middle }
        }
        return exp2(low)
    }

    /// The probability that at least one of `count` independent TLUs fails: 1 − (1 − p)^count.
    public static func failureProbability(perLookup p: Double, count: Int) -> Double {
        -expm1(Double(count) * log1p(-p))
    }
}
