/// Parameter sets known by name.
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

    /// Names of the sets `named(_:)` knows. For a set chosen for a precision, use the optimizer
    /// (`Optimizer.optimize(bits:)` in FHEOptimizer).
    public static let names: [String] = ["concrete-4bit", "tfhe-rs-2_2"]

    /// The parameter set called `name`.
    /// - Throws: `ParameterError.unknownName` listing the known names.
    public static func named(_ name: String) throws -> ParameterSet {
        switch name {
        case "concrete-4bit": return concrete4Bit
        case "tfhe-rs-2_2": return tfheRS2_2
        default: throw ParameterError.unknownName(name, known: names)
        }
    }
}
