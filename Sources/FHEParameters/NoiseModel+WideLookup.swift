import Foundation

/// The noise of a PBS without padding (WoP-PBS: bit extraction, circuit bootstrapping, vertical
/// packing; `ServerKey.wideLookup`), as fractions of q², in the terms of the atomic pattern's
/// formulas (Bergerat et al., ePrint 2022/704, §4–5).
extension NoiseModel {
    /// The packing keyswitch's noise from LWE inputs of dimension n_in = kN: the keys' noise
    /// carried by (n_in + 1)·ℓ_pks digits (every output coefficient), and the rounding of the n_in
    /// mask words (times a binary key bit) and of the body to ℓ_pks·β_pks bits (the coefficient
    /// that holds the message; a row that multiplies by a key polynomial spreads it over all, at
    /// half the variance).
    public static func packingKeyswitchVariance(_ p: ParameterSet, baseLog: Int, levels: Int) -> (keys: Double, rounding: Double) {
        packingKeyswitchVariance(bigDimension: p.bigLWEDimension, glweKeyVariance: p.glweNoiseStd * p.glweNoiseStd,
                                 baseLog: baseLog, levels: levels)
    }

    /// `packingKeyswitchVariance` for inputs of dimension kN under a GLWE key of noise variance
    /// `glweKeyVariance`.
    public static func packingKeyswitchVariance(bigDimension: Int, glweKeyVariance: Double, baseLog: Int,
                                                levels: Int) -> (keys: Double, rounding: Double) {
        let base = exp2(Double(baseLog)), inputs = Double(bigDimension)
        let perWord = pow(base, -2 * Double(levels)) / 12 + inverseQSquared / 12
        let keys = (inputs + 1) * Double(levels) * glweKeyVariance * digitVariance(base: base)
        return (keys, inputs * perWord / 2 + perWord)
    }

    /// The output of a lookup of `bits` bits without padding: `bits` CMuxes of vertical packing,
    /// each an external product with a circuit-bootstrapped GGSW (`wideLookupCMuxVariance`).
    public static func wideLookupVariance(_ p: ParameterSet, bits: Int, wide: WideLookupParameters) -> Double {
        let packing = packingKeyswitchVariance(p, baseLog: wide.packingBaseLog, levels: wide.packingLevels)
        return Double(bits) * wideLookupCMuxVariance(glweDimension: p.glweDimension, polynomialSize: p.polynomialSize,
                                                     bootstrapVariance: bootstrapVariance(p), packing: packing,
                                                     circuitBaseLog: wide.circuitBaseLog, circuitLevels: wide.circuitLevels)
    }

    /// The noise one CMux of vertical packing adds: an external product with a GGSW that circuit
    /// bootstrapping made from PBS outputs of variance `bootstrapVariance` and packing keyswitches
    /// of noise `packing`. A mask row (component c < k) of level l is −S_c·(m·g_l + e_l) with
    /// one scalar error e_l (the PBS's, and the packing keyswitch's rounding) times the key
    /// polynomial, unlike a bootstrapping key's independent coefficients: the N digit products
    /// of a coefficient add up to N·E[d²]/2 times e_l's variance because vertical packing's
    /// digits are balanced (mean 0; with the PBS's rule, mean −1/2, their mean times the key's
    /// would add ((N − 2)/4)², about 12 times more at N = 2048). The keys' noise is independent
    /// per coefficient, as in a PBS; the rounding of the input to ℓ·β bits meets the key bits
    /// and the body. An upper bound, reached when the bit is 1 (a CMux on a bit 0 adds no
    /// rounding).
    public static func wideLookupCMuxVariance(glweDimension: Int, polynomialSize: Int, bootstrapVariance: Double,
                                              packing: (keys: Double, rounding: Double), circuitBaseLog: Int,
                                              circuitLevels: Int) -> Double {
        let k = Double(glweDimension), size = Double(polynomialSize), levels = Double(circuitLevels)
        let base = exp2(Double(circuitBaseLog)), digits = digitVariance(base: base)
        let scalar = bootstrapVariance + packing.rounding   // e_l: one per row
        let keyProducts = size * digits / 2
        let rounding = pow(base, -2 * levels) / 12 + inverseQSquared / 12
        return levels * k * keyProducts * scalar           // the mask rows
            + levels * digits * scalar                     // the body rows' coefficient 0
            + levels * (k + 1) * size * digits * packing.keys  // every row's keys
            + (k * size / 2 + 1) * rounding
            + fftVariance(glweDimension: glweDimension, polynomialSize: polynomialSize, baseLog: circuitBaseLog,
                          levels: circuitLevels)
    }
}
