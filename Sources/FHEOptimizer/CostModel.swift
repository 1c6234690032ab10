import FHEParameters
import Foundation

/// The cost of one keyswitch + PBS, in PBS multiply-add equivalents.
///
/// DESIGN.md §3 counts multiply-adds: PBS ≈ n·[(k+1)ℓ·FFT(N) + (k+1)·IFFT(N) + (k+1)²ℓ·N] with
/// FFT(N) ≈ N·log₂N, and KS ≈ kN·ℓ_ks·(n+1). On this runtime a keyswitch multiply-add costs more
/// than a PBS one (the keyswitch streams its key from memory) and every FFT call has a fixed
/// cost that dominates at small N, so the model here is
///
///     cost = PBS + w_ks·KS + w_call·n·(k+1)·(ℓ+1)
///
/// with n·(k+1)·(ℓ+1) the FFT calls of the blind rotation. The weights were fitted by relative
/// least squares on the median of three measured times of one KS + PBS (1 thread, batches of
/// 32: `scripts/calibrate-cost.sh`) for sixteen sets from N = 256 to 8192 (docs/parameters.md):
/// the model predicts them with an RMS error of 9 %, at most 19 % (at N = 8192, where both
/// measured sets are under-predicted alike, so their order is kept).
public enum CostModel {
    /// Time of one keyswitch multiply-add over one PBS multiply-add (fitted).
    public static let keyswitchWeight = 1.59
    /// Fixed time of one FFT call, in PBS multiply-adds (fitted).
    public static let fftCallWeight = 559.0
    /// Milliseconds per PBS multiply-add on the calibration machine (fitted; 2-core AMD EPYC Zen 5).
    public static let millisecondsPerUnit = 1.082e-7

    /// PBS multiply-adds for (n, k, N, ℓ).
    public static func bootstrapCost(lweDimension n: Int, glweDimension k: Int, polynomialSize size: Int, levels: Int) -> Double {
        let fft = Double(size) * log2(Double(size))
        let columns = Double(k + 1)
        return Double(n) * (columns * Double(levels) * fft + columns * fft + columns * columns * Double(levels) * Double(size))
    }

    /// Keyswitch multiply-adds for (n, kN, ℓ_ks).
    public static func keyswitchCost(lweDimension n: Int, bigDimension: Int, levels: Int) -> Double {
        Double(bigDimension) * Double(levels) * Double(n + 1)
    }

    /// The weighted cost of one KS + PBS for (n, k, N, ℓ, ℓ_ks).
    public static func cost(lweDimension n: Int, glweDimension k: Int, polynomialSize size: Int,
                            pbsLevels: Int, ksLevels: Int) -> Double {
        bootstrapCost(lweDimension: n, glweDimension: k, polynomialSize: size, levels: pbsLevels)
            + keyswitchWeight * keyswitchCost(lweDimension: n, bigDimension: k * size, levels: ksLevels)
            + fftCallWeight * Double(n * (k + 1) * (pbsLevels + 1))
    }

    /// The weighted cost of one KS + PBS with these parameters.
    public static func cost(_ p: ParameterSet) -> Double {
        cost(lweDimension: p.lweDimension, glweDimension: p.glweDimension, polynomialSize: p.polynomialSize,
             pbsLevels: p.pbsLevelCount, ksLevels: p.ksLevelCount)
    }

    /// The predicted time of one KS + PBS on one thread of the calibration machine.
    public static func predictedMilliseconds(_ p: ParameterSet) -> Double { cost(p) * millisecondsPerUnit }
}
