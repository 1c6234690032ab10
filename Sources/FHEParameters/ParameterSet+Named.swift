/// Parameter sets known by name, and one built-in set per message precision.
extension ParameterSet {
    /// Concrete 2.11's choice for a 4-bit table lookup (failure probability ≈ 9·10⁻⁶ by the
    /// model), with the secure minimal key noise: n 822, k 2, N 1024, PBS ℓ/β 1/23, KS ℓ/β 3/5.
    public static let concrete4Bit = try! ParameterSet(
        lweDimension: 822, glweDimension: 2, polynomialSize: 1024,
        pbsBaseLog: 23, pbsLevelCount: 1, ksBaseLog: 5, ksLevelCount: 3)

    /// tfhe-rs' 128-bit Gaussian set for 2 message + 2 carry bits (failure probability 2^−128 at
    /// a 2-norm of 5 in tfhe-rs): n 866, k 1, N 2048, PBS ℓ/β 1/23, KS ℓ/β 5/3, with its own σ.
    public static let tfheRS2_2 = try! ParameterSet(
        lweDimension: 866, glweDimension: 1, polynomialSize: 2048,
        pbsBaseLog: 23, pbsLevelCount: 1, ksBaseLog: 3, ksLevelCount: 5,
        lweNoiseStd: 2.0462e-6, glweNoiseStd: 2.8453e-15)

    /// Precisions with a built-in parameter set.
    public static let builtInPrecisions = 1...8

    /// The built-in set for p-bit table lookups: 128-bit secure by the curve of `SecurityLevel`,
    /// with minimal key noise. For p = 1…7, the cheapest set (by the cost of DESIGN.md §3, over a
    /// grid with n in steps of 10) whose failure probability per lookup is at most 10⁻⁸ by
    /// `NoiseModel` at a 2-norm of 1. For p = 8 that target needs N = 2^15 and ℓ = 2 (a 2 GiB
    /// bootstrapping key), so the set is Concrete's published 8-bit choice instead, ≈ 6·10⁻⁵ per
    /// lookup. The parameters issue replaces these with the optimizer's choice.
    public static func forPrecision(_ bits: Int) throws -> ParameterSet {
        let shapes: [(n: Int, k: Int, N: Int, pbsBaseLog: Int, pbsLevels: Int, ksBaseLog: Int, ksLevels: Int)] = [
            (600, 5, 256, 14, 1, 2, 5),
            (660, 3, 512, 17, 1, 3, 4),
            (720, 2, 1024, 17, 1, 3, 4),
            (730, 1, 2048, 18, 1, 2, 7),
            (820, 1, 4096, 20, 1, 3, 5),
            (880, 1, 8192, 21, 1, 3, 6),
            (960, 1, 16384, 22, 1, 3, 6),
            (1006, 1, 16384, 15, 2, 4, 5),   // Concrete's 8-bit set: ≈ 6·10⁻⁵ per lookup
        ]
        guard builtInPrecisions.contains(bits) else {
            throw ParameterError.unsupportedPrecision(bits, supported: builtInPrecisions)
        }
        let s = shapes[bits - 1]
        return try ParameterSet(
            lweDimension: s.n, glweDimension: s.k, polynomialSize: s.N,
            pbsBaseLog: s.pbsBaseLog, pbsLevelCount: s.pbsLevels, ksBaseLog: s.ksBaseLog, ksLevelCount: s.ksLevels)
    }

    /// Names of the sets `named(_:)` knows: `concrete-4bit`, `tfhe-rs-2_2`, and `p1` … `p8` for
    /// the built-in set of each precision.
    public static let names: [String] = ["concrete-4bit", "tfhe-rs-2_2"] + builtInPrecisions.map { "p\($0)" }

    /// The parameter set called `name`.
    /// - Throws: `ParameterError.unknownName` listing the known names.
    public static func named(_ name: String) throws -> ParameterSet {
        switch name {
        case "concrete-4bit": return concrete4Bit
        case "tfhe-rs-2_2": return tfheRS2_2
        default:
            if name.hasPrefix("p"), let bits = Int(name.dropFirst()), builtInPrecisions.contains(bits) {
                return try forPrecision(bits)
            }
            throw ParameterError.unknownName(name, known: names)
        }
    }
}
