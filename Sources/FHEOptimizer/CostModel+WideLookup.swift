import FHEParameters
import Foundation

extension CostModel {
    /// The weighted cost of one lookup of a `bits`-bit value without padding (`ServerKey.wideLookup`)
    /// with parameter set `p` and decompositions `wide`, in the units of `cost(_:)`.
    public static func wideLookupCost(_ p: ParameterSet, wide: WideLookupParameters, bits: Int) -> Double {
        wideLookupCost(bootstrapCost: cost(p), glweDimension: p.glweDimension, polynomialSize: p.polynomialSize,
                       circuitLevels: wide.circuitLevels, packingLevels: wide.packingLevels,
                       bootstrapsPerBit: wide.bootstrapsPerBit, bits: bits)
    }

    /// `wideLookupCost` from the cost of one KS + PBS of the set:
    /// - bit extraction and circuit bootstrapping, `bootstrapsPerBit` many-LUT KS + PBS per bit;
    /// - bits·(k+1)·ℓ_cb packing keyswitches of (kN+1)·ℓ_pks·(k+1)·N multiply-adds each, weighted
    ///   like the LWE keyswitch's (both stream their keys);
    /// - vertical packing: a CMux tree over the 2^bits/N table polynomials and a blind rotation by
    ///   the low log2 N bits, each CMux an external product with ℓ_cb levels.
    public static func wideLookupCost(bootstrapCost: Double, glweDimension k: Int, polynomialSize size: Int,
                                      circuitLevels: Int, packingLevels: Int, bootstrapsPerBit: Int, bits: Int) -> Double {
        let b = Double(bits), columns = Double(k + 1), levels = Double(circuitLevels)
        let bootstraps = b * Double(bootstrapsPerBit) * bootstrapCost
        let packingMultiplyAdds = Double(k * size + 1) * Double(packingLevels) * columns * Double(size)
        let packing = b * columns * levels * keyswitchWeight * packingMultiplyAdds
        let logSize = Int(log2(Double(size)))
        let cmuxes = Double(bits > logSize ? (1 << (bits - logSize)) - 1 : 0) + Double(min(bits, logSize))
        let fft = Double(size) * log2(Double(size))
        let cmux = columns * levels * fft + columns * fft + columns * columns * levels * Double(size)
            + fftCallWeight * columns * (levels + 1)
        return bootstraps + packing + cmuxes * cmux
    }
}
