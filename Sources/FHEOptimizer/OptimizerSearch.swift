import FHEParameters
import Foundation

// The pieces of `Optimizer.optimize`: the candidates it enumerates, the noise limits that decide
// whether one is feasible, and the closest infeasible one, which the error reports.

/// A constraint as the search checks it: the largest variance its PBS input (or decryption)
/// may carry, and how the candidate's noise sources weigh on it.
struct NoiseLimit {
    let bits: Int
    /// Squared 2-norm of the weights on PBS outputs.
    let weight: Double
    /// Squared 2-norm of the weights on fresh encryptions.
    let freshWeight: Double
    /// The vertical-packing CMuxes whose noise reaches it (`LookupConstraint.wideCMuxes`).
    let wideCMuxes: Double
    /// How it is read, and the factor on keyswitch and modulus switch noise.
    let kind: LookupConstraint.Kind, switchWeight: Double
    /// The largest variance that meets the failure probability (`NoiseModel.maximumVariance`).
    let maximum: Double

    /// The limits of the constraints that no other one implies, the tightest first (most
    /// candidates fail there).
    static func binding(_ constraints: [LookupConstraint], failureProbability: Double) -> [NoiseLimit] {
        let distinct = Array(Set(constraints))
        return distinct.filter { constraint in !distinct.contains { $0 != constraint && constraint.isImplied(by: $0) } }
            .map {
                NoiseLimit(bits: $0.bits, weight: $0.norm2 * $0.norm2, freshWeight: $0.freshNorm2 * $0.freshNorm2,
                           wideCMuxes: $0.wideCMuxes, kind: $0.kind, switchWeight: $0.switchWeight,
                           maximum: NoiseModel.maximumVariance(bits: $0.bits, failureProbability: failureProbability))
            }
            .sorted { $0.maximum < $1.maximum }
    }
}

/// The parameter sets that share (k, N, ℓ, ℓ_ks) with the best PBS base: they differ in n only,
/// and their cost grows with n.
struct CandidateFamily {
    let glweDimension: Int, polynomialSize: Int, pbsLevels: Int, ksLevels: Int
    /// The PBS base log that minimises the noise of one CMux, and that noise.
    let pbsBaseLog: Int, cmuxVariance: Double
    /// The variance of the GLWE key's fresh noise (at the security curve's minimum).
    let glweKeyVariance: Double
    /// The cost at the smallest n of the space, and what one more n adds.
    let cheapest: Double, slope: Double

    /// Every family of the space whose polynomials hold the widest lookup (2^(bits+1) ≤ N),
    /// N outermost, then k, ℓ and ℓ_ks.
    static func all(in space: Optimizer.SearchSpace, widestLookup bits: Int, securityLevel: SecurityLevel) -> [CandidateFamily] {
        var families = [CandidateFamily]()
        let first = space.lweDimensions.lowerBound
        for logSize in space.logPolynomialSizes where (2 << bits) <= (1 << logSize) {
            let size = 1 << logSize
            for k in space.glweDimensions {
                let glweKeyVariance = exp2(2 * securityLevel.minimumNoiseLog2Std(dimension: k * size))
                for levels in space.pbsLevels {
                    let (cmuxVariance, baseLog) = Optimizer.bestPBSBase(k: k, size: size, levels: levels, glweKeyVariance: glweKeyVariance)
                    for ksLevels in space.ksLevels {
                        func cost(_ n: Int) -> Double {
                            CostModel.cost(lweDimension: n, glweDimension: k, polynomialSize: size, pbsLevels: levels, ksLevels: ksLevels)
                        }
                        families.append(CandidateFamily(
                            glweDimension: k, polynomialSize: size, pbsLevels: levels, ksLevels: ksLevels, pbsBaseLog: baseLog,
                            cmuxVariance: cmuxVariance, glweKeyVariance: glweKeyVariance, cheapest: cost(first),
                            slope: cost(first + 1) - cost(first)))
                    }
                }
            }
        }
        return families
    }

    /// The n worth trying: those of the space cheaper than `bound` (all without one); nil when
    /// even the smallest is not.
    func lweDimensions(in space: Optimizer.SearchSpace, cheaperThan bound: Double?) -> ClosedRange<Int>? {
        let first = space.lweDimensions.lowerBound
        guard let bound else { return space.lweDimensions }
        guard cheapest < bound else { return nil }
        return first...min(space.lweDimensions.upperBound, first + Int(((bound - cheapest) / slope).rounded(.up)))
    }

    /// The member of LWE dimension `n`, with its noise sources.
    func candidate(lweDimension n: Int, keyswitch: Optimizer.KeyswitchTable) -> Candidate {
        Candidate(family: self, lweDimension: n, bootstrapVariance: Double(n) * cmuxVariance,
                  keyswitchVariance: Double(glweDimension * polynomialSize) * keyswitch.variance(n: n, levels: ksLevels),
                  cost: CostModel.cost(lweDimension: n, glweDimension: glweDimension, polynomialSize: polynomialSize,
                                       pbsLevels: pbsLevels, ksLevels: ksLevels))
    }
}

/// One parameter set of the search, with the noise it adds.
struct Candidate {
    let family: CandidateFamily
    let lweDimension: Int
    /// The blind rotation's output variance; the keyswitch's.
    let bootstrapVariance: Double, keyswitchVariance: Double
    /// `CostModel.cost` of one KS + PBS.
    let cost: Double
    /// The wide lookups' decompositions, once chosen.
    var wide: WideLookupChoice?

    /// What the search minimises: the cost of one KS + PBS, or with wide lookups the whole run's.
    var totalCost: Double { wide?.runCost ?? cost }

    /// Bytes of its evaluation keys in memory (`ParameterSet.bootstrapKeyBytes` plus
    /// `keyswitchKeyBytes`, and the circuit bootstrapping keys; the bases do not change them).
    var keyBytes: Int {
        let (k, size, n) = (family.glweDimension, family.polynomialSize, lweDimension)
        return n * (k + 1) * (k + 1) * family.pbsLevels * size * 8 + k * size * family.ksLevels * (n + 1) * 8
            + (wide?.keyBytes ?? 0)
    }

    /// The variance at the input that `limit` bounds, with `cmuxVariance` for each vertical-packing
    /// CMux that reaches it and bit extractions by 2^lutLog lookups per PBS (0 and 0 before the
    /// wide lookups' decompositions are chosen: a lower bound).
    func variance(under limit: NoiseLimit, cmuxVariance: Double = 0, lutLog: Int = 0) -> Double {
        let switchedSize = limit.kind == .bitExtraction ? family.polynomialSize >> lutLog : family.polynomialSize
        let switchVariance = keyswitchVariance + NoiseModel.modulusSwitchVariance(lweDimension: lweDimension, polynomialSize: switchedSize)
        return limit.weight * bootstrapVariance + limit.freshWeight * family.glweKeyVariance + limit.switchWeight * switchVariance
            + limit.wideCMuxes * cmuxVariance
    }

    /// The first limit this candidate exceeds, with its variance there; nil when it is feasible.
    func firstViolation(of limits: [NoiseLimit]) -> (NoiseLimit, Double)? {
        for limit in limits {
            let variance = variance(under: limit)
            if variance > limit.maximum { return (limit, variance) }
        }
        return nil
    }

    /// The parameter set, with the keyswitch base that minimises its noise.
    func parameterSet(keyswitch: Optimizer.KeyswitchTable, securityLevel: SecurityLevel) throws -> ParameterSet {
        try ParameterSet(
            lweDimension: lweDimension, glweDimension: family.glweDimension, polynomialSize: family.polynomialSize,
            pbsBaseLog: family.pbsBaseLog, pbsLevelCount: family.pbsLevels,
            ksBaseLog: keyswitch.baseLog(n: lweDimension, levels: family.ksLevels), ksLevelCount: family.ksLevels,
            securityLevel: securityLevel)
    }
}

/// The infeasible candidate nearest to the limit it fails (by the ratio of its variance to the
/// limit's), kept while nothing is feasible: what the error reports.
struct ClosestInfeasible {
    private var ratio = Double.infinity
    private var bits: Int
    private var variance = Double.infinity
    private var weight = 1.0
    private var kind = LookupConstraint.Kind.lookup

    init(bits: Int) { self.bits = bits }

    mutating func record(_ limit: NoiseLimit, variance: Double) {
        guard variance / limit.maximum < ratio else { return }
        (ratio, bits, self.variance, weight, kind) = (variance / limit.maximum, limit.bits, variance, limit.weight, limit.kind)
    }

    /// `OptimizerError.noFeasibleParameters`: what the closest set reaches and what to change.
    func error(failureProbability: Double, space: Optimizer.SearchSpace) -> OptimizerError {
        let maximum = NoiseModel.maximumVariance(bits: bits, failureProbability: failureProbability)
        let subject = switch kind {
        case .lookup: "a \(bits)-bit lookup"
        case .decryption: "decrypting a \(bits)-bit result"
        case .bitExtraction: "the bit extraction of a wide lookup (\(bits) bits from the bit read to the top)"
        }
        return OptimizerError.noFeasibleParameters(reason:
            subject
            + " with failure probability \(failureProbability) needs a noise standard deviation below "
            + "2^\(String(format: "%.2f", log2(maximum) / 2)) at its input, and the least noisy set with "
            + "n ≤ \(space.lweDimensions.upperBound), N ≤ 2^\(space.logPolynomialSizes.upperBound), k ≤ \(space.glweDimensions.upperBound) "
            + "reaches 2^\(String(format: "%.2f", log2(variance) / 2)) at a 2-norm of \(weight.squareRoot()); "
            + "use fewer bits (roundBitPattern, fewer quantization bits), smaller weights after lookups, or a looser failure target")
    }
}

/// The feasible candidate with the smallest keys, kept while every feasible one exceeds the
/// key-size budget: what the error reports.
struct SmallestOverBudget {
    private(set) var keyBytes: Int?

    mutating func record(keyBytes bytes: Int) { keyBytes = min(keyBytes ?? .max, bytes) }

    /// `OptimizerError.noFeasibleParameters`: the smallest keys that meet the target, and the budget.
    func error(budget: Int, bits: Int) -> OptimizerError {
        .noFeasibleParameters(reason:
            "the \(bits)-bit lookups meet the failure target only with evaluation keys of \(mebibytes(keyBytes!)) "
            + "or more in memory, over the key-size budget of \(mebibytes(budget)); raise the budget, use fewer bits "
            + "(roundBitPattern, a chunked strategy), or a looser failure target")
    }

    private func mebibytes(_ bytes: Int) -> String { String(format: "%.0f MiB", Double(bytes) / 1_048_576) }
}

extension Optimizer {
    /// The PBS base log minimising the noise of one CMux for (k, N, ℓ), and that noise.
    static func bestPBSBase(k: Int, size: Int, levels: Int, glweKeyVariance: Double) -> (Double, Int) {
        var best = (Double.infinity, 1)
        for baseLog in 1...min(63, 64 / levels) {
            let variance = NoiseModel.externalProductVariance(glweDimension: k, polynomialSize: size, baseLog: baseLog,
                                                              levels: levels, glweKeyVariance: glweKeyVariance)
            if variance < best.0 { best = (variance, baseLog) }
        }
        return best
    }

    /// For each (n, ℓ_ks): the keyswitch base log minimising the noise per input coefficient.
    struct KeyswitchTable {
        let first: Int, levelCount: Int
        var variances: [Double] = [], baseLogs: [Int] = []

        init(space: SearchSpace, securityLevel: SecurityLevel) {
            first = space.lweDimensions.lowerBound
            levelCount = space.ksLevels.upperBound
            for n in space.lweDimensions {
                let keyVariance = exp2(2 * securityLevel.minimumNoiseLog2Std(dimension: n))
                for levels in 1...levelCount {
                    var best = (Double.infinity, 1)
                    for baseLog in 1...min(63, 64 / levels) {
                        let variance = NoiseModel.keyswitchVariancePerInput(lweKeyVariance: keyVariance, baseLog: baseLog, levels: levels)
                        if variance < best.0 { best = (variance, baseLog) }
                    }
                    variances.append(best.0)
                    baseLogs.append(best.1)
                }
            }
        }

        func variance(n: Int, levels: Int) -> Double { variances[(n - first) * levelCount + levels - 1] }
        func baseLog(n: Int, levels: Int) -> Int { baseLogs[(n - first) * levelCount + levels - 1] }
    }
}
