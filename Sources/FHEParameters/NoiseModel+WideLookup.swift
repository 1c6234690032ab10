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
        let base = exp2(Double(baseLog)), inputs = Double(p.bigLWEDimension)
        let perWord = pow(base, -2 * Double(levels)) / 12 + inverseQSquared / 12
        let keys = (inputs + 1) * Double(levels) * p.glweNoiseStd * p.glweNoiseStd * digitVariance(base: base)
        return (keys, inputs * perWord / 2 + perWord)
    }

    /// The output of a lookup of `bits` bits without padding: `bits` CMuxes of vertical packing,
    /// each an external product with a circuit-bootstrapped GGSW (base 2^circuitBaseLog,
    /// circuitLevels levels). A mask row (component c < k) of level l is −S_c·(m·g_l + e_l) with
    /// one scalar error e_l (the PBS's, and the packing keyswitch's rounding) times the key
    /// polynomial, unlike a bootstrapping key's independent coefficients: the N digit products
    /// of a coefficient add up to N·E[d²]/2 times e_l's variance because vertical packing's
    /// digits are balanced (mean 0; with the PBS's rule, mean −1/2, their mean times the key's
    /// would add ((N − 2)/4)², about 12 times more at N = 2048). The keys' noise is independent
    /// per coefficient, as in a PBS; the rounding of the input to ℓ·β bits meets the key bits
    /// and the body. An upper bound, reached when every bit is 1 (a CMux on a bit 0 adds no
    /// rounding).
    public static func wideLookupVariance(_ p: ParameterSet, bits: Int, circuitBaseLog: Int, circuitLevels: Int,
                                          packingBaseLog: Int, packingLevels: Int) -> Double {
        let k = Double(p.glweDimension), size = Double(p.polynomialSize), levels = Double(circuitLevels)
        let base = exp2(Double(circuitBaseLog)), digits = digitVariance(base: base)
        let packing = packingKeyswitchVariance(p, baseLog: packingBaseLog, levels: packingLevels)
        let scalar = bootstrapVariance(p) + packing.rounding   // e_l: one per row
        let keyProducts = size * digits / 2
        let rounding = pow(base, -2 * levels) / 12 + inverseQSquared / 12
        let cmux = levels * k * keyProducts * scalar           // the mask rows
            + levels * digits * scalar                         // the body rows' coefficient 0
            + levels * (k + 1) * size * digits * packing.keys  // every row's keys
            + (k * size / 2 + 1) * rounding
            + fftVariance(glweDimension: p.glweDimension, polynomialSize: p.polynomialSize, baseLog: circuitBaseLog,
                          levels: circuitLevels)
        return Double(bits) * cmux
    }
}
