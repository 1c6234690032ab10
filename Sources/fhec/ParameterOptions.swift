import ArgumentParser
import FHE

/// The ways to name a parameter set on the command line: a name, an explicit set, or (when
/// neither is given) the optimizer's choice for the command's precision.
struct ParameterOptions: ParsableArguments {
    @Option(help: "A named parameter set (\(ParameterSet.names.joined(separator: ", "))).")
    var params: String?

    @Option(name: .customLong("n"), parsing: .unconditional, help: "Explicit set: LWE dimension n.")
    var lweDimension: Int?
    @Option(name: .customLong("k"), parsing: .unconditional, help: "Explicit set: GLWE dimension k.")
    var glweDimension: Int?
    @Option(name: .customLong("N"), parsing: .unconditional, help: "Explicit set: polynomial size N.")
    var polynomialSize: Int?
    @Option(parsing: .unconditional, help: "Explicit set: PBS base log.")
    var pbsBaseLog: Int?
    @Option(parsing: .unconditional, help: "Explicit set: PBS levels.")
    var pbsLevels: Int?
    @Option(parsing: .unconditional, help: "Explicit set: keyswitch base log.")
    var ksBaseLog: Int?
    @Option(parsing: .unconditional, help: "Explicit set: keyswitch levels.")
    var ksLevels: Int?
    @Option(parsing: .unconditional, help: "Explicit set: LWE noise σ (fraction of q; default: the 128-bit minimum).")
    var lweNoiseStd: Double?
    @Option(parsing: .unconditional, help: "Explicit set: GLWE noise σ (fraction of q; default: the 128-bit minimum).")
    var glweNoiseStd: Double?

    private var explicitFields: [Int?] {
        [lweDimension, glweDimension, polynomialSize, pbsBaseLog, pbsLevels, ksBaseLog, ksLevels]
    }

    func validate() throws {
        let given = explicitFields.compactMap { $0 }.count
        if given != 0 && given != explicitFields.count {
            throw ValidationError("an explicit set needs all of --n --k --N --pbs-base-log --pbs-levels --ks-base-log --ks-levels")
        }
        if given != 0 && params != nil { throw ValidationError("give --params or an explicit set, not both") }
        if given == 0 && (lweNoiseStd != nil || glweNoiseStd != nil) {
            throw ValidationError("--lwe-noise-std and --glwe-noise-std go with an explicit set")
        }
    }

    /// Whether no set was named: the command picks its own default.
    var usesDefault: Bool { params == nil && explicitFields.allSatisfy { $0 == nil } }

    /// The set the options name, or the optimizer's choice for `bits` at the default target.
    func resolve(bits: Int) throws -> ParameterSet {
        if let params { return try ParameterSet.named(params) }
        if let n = lweDimension, let k = glweDimension, let size = polynomialSize, let pbsBase = pbsBaseLog,
           let pbsLevels, let ksBase = ksBaseLog, let ksLevels {
            return try ParameterSet(lweDimension: n, glweDimension: k, polynomialSize: size, pbsBaseLog: pbsBase,
                                    pbsLevelCount: pbsLevels, ksBaseLog: ksBase, ksLevelCount: ksLevels,
                                    lweNoiseStd: lweNoiseStd, glweNoiseStd: glweNoiseStd)
        }
        return try Optimizer.optimize(bits: bits).parameters
    }
}
