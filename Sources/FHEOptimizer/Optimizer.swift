import FHEParameters
import Foundation

/// The optimizer's answer: the cheapest parameter set meeting the request, with its predictions.
public struct OptimizedParameters: Sendable, Hashable {
    /// The chosen set (key noise at the secure minimum).
    public let parameters: ParameterSet
    /// The predicted variance at the input of the least reliable lookup (fraction of q²).
    public let predictedVariance: Double
    /// The predicted failure probability of one lookup: the least reliable one.
    public let predictedLookupFailure: Double
    /// The security level the set reaches.
    public let securityLevel: SecurityLevel
    /// The weighted cost of one KS + PBS (`CostModel`).
    public let cost: Double
}

/// Chooses TFHE parameters: the cheapest (n, k, N, β, ℓ, β_ks, ℓ_ks) by `CostModel` whose
/// noise at a TLU input meets a failure target by `NoiseModel`, with key noise at the minimum
/// that the security curve allows.
///
/// The search is exhaustive over `Optimizer.searchSpace`, and fast because the bases do not
/// change the cost: for each (k, N, ℓ) the PBS base log that minimises the noise per CMux is
/// taken, and for each (n, ℓ_ks) the keyswitch base log that minimises its noise; for each
/// (k, N, ℓ, ℓ_ks) the cost grows with n, so the smallest feasible n is the best.
public enum Optimizer {
    /// The ranges searched.
    public struct SearchSpace: Sendable {
        public var lweDimensions = 500...2048
        public var logPolynomialSizes = 8...16
        public var glweDimensions = 1...6
        public var pbsLevels = 1...6
        public var ksLevels = 1...16
        /// The key-size budget: the largest evaluation keys in memory (bootstrapping plus
        /// keyswitching bytes) a set may need; unbounded by default.
        public var maximumKeyBytes = Int.max
    }

    /// The default search space (n 500…2048, N 2^8…2^16, k 1…6, any key size).
    public static let searchSpace = SearchSpace()

    /// Precisions the optimizer accepts.
    public static let supportedBits = Limits.optimizerBits

    /// The cheapest parameter set for `bits`-bit table lookups whose inputs carry the noise of
    /// a dot product with clear weights of 2-norm `norm2`.
    /// - Throws: `OptimizerError.noFeasibleParameters` naming the failed constraint and what to
    ///   change; `OptimizerError.invalidRequest` for bits outside 1…10 or a bad target.
    public static func optimize(
        bits: Int, norm2: Double = 1, target: FailureTarget = .defaultTarget(),
        securityLevel: SecurityLevel = .bits128, space: SearchSpace = searchSpace
    ) throws -> OptimizedParameters {
        try optimize(constraints: [LookupConstraint(bits: bits, norm2: norm2)], target: target,
                     securityLevel: securityLevel, space: space)
    }

    /// The cheapest parameter set that serves every lookup of `constraints` (one parameter set
    /// for the whole circuit), each meeting the per-lookup failure probability of `target`.
    /// - Throws: `OptimizerError.noFeasibleParameters` naming the hardest constraint and what to
    ///   change; `OptimizerError.invalidRequest` for no constraints, bits outside 1…10, a bad
    ///   2-norm or target.
    public static func optimize(
        constraints: [LookupConstraint], target: FailureTarget = .defaultTarget(),
        securityLevel: SecurityLevel = .bits128, space: SearchSpace = searchSpace
    ) throws -> OptimizedParameters {
        guard let widest = constraints.filter({ !$0.isDecryption }).map(\.bits).max() else {
            throw OptimizerError.invalidRequest("give at least one lookup to optimize for")
        }
        if let bad = constraints.first(where: { !$0.isDecryption && !supportedBits.contains($0.bits) }) {
            throw OptimizerError.invalidRequest("the optimizer handles 1…10-bit lookups, not \(bad.bits) bits: round the value first")
        }
        let perLookup = target.perLookupProbability
        guard perLookup > 0, perLookup < 1,
              constraints.allSatisfy({ $0.norm2 >= 0 && $0.norm2.isFinite && $0.freshNorm2 >= 0 && $0.freshNorm2.isFinite }) else {
            throw OptimizerError.invalidRequest(
                "a failure target must be in (0, 1) and 2-norms finite and non-negative (got \(target), \(constraints))")
        }
        let limits = NoiseLimit.binding(constraints, failureProbability: target.perLookupProbability)
        let keyswitch = KeyswitchTable(space: space, securityLevel: securityLevel)
        var best: Candidate?
        var closest = ClosestInfeasible(bits: widest)
        var overBudget = SmallestOverBudget()
        for family in CandidateFamily.all(in: space, widestLookup: widest, securityLevel: securityLevel) {
            guard let dimensions = family.lweDimensions(in: space, cheaperThan: best?.cost) else { continue }
            for n in dimensions {
                let candidate = family.candidate(lweDimension: n, keyswitch: keyswitch)
                if let (limit, variance) = candidate.firstViolation(of: limits) {
                    if best == nil { closest.record(limit, variance: variance) }
                    continue
                }
                if candidate.keyBytes > space.maximumKeyBytes {
                    overBudget.record(candidate)
                } else if best.map({ candidate.cost < $0.cost }) ?? true {
                    best = candidate
                }
                break   // a larger n only costs more, with larger keys
            }
        }
        guard let best else {
            if overBudget.keyBytes != nil { throw overBudget.error(budget: space.maximumKeyBytes, bits: widest) }
            throw closest.error(failureProbability: target.perLookupProbability, space: space)
        }
        let parameters = try best.parameterSet(keyswitch: keyswitch, securityLevel: securityLevel)
        let worst = constraints.map { ($0.failureProbability(parameters), $0.variance(parameters)) }.max { $0.0 < $1.0 }!
        return OptimizedParameters(
            parameters: parameters, predictedVariance: worst.1, predictedLookupFailure: worst.0,
            securityLevel: parameters.securityLevel ?? securityLevel, cost: CostModel.cost(parameters))
    }
}
