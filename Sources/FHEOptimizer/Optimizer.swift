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
    /// The decompositions of the wide lookups (nil when the request has none).
    public let wideLookup: WideLookupParameters?
}

/// The wide lookups of a circuit (`ServerKey.wideLookup`: bit extraction, circuit bootstrapping,
/// vertical packing), so that the optimizer sizes their decompositions and weighs their cost
/// against the other PBS by the whole run's cost.
public struct WideLookupDemand: Sendable, Hashable {
    /// Elements per run of the wide lookups, by input width.
    public let elements: [Int: Int]
    /// The other KS + PBS per run (lookups, roundings).
    public let bootstrapCount: Int
    /// The narrowest lookup input made wide (`WideLookupParameters.narrowestBits`).
    public let narrowestBits: Int

    public init(elements: [Int: Int], bootstrapCount: Int, narrowestBits: Int = Limits.maximumLookupBitWidth + 1) {
        self.elements = elements
        self.bootstrapCount = bootstrapCount
        self.narrowestBits = narrowestBits
    }

    /// A lower bound of the run's cost in KS + PBS: a b-bit wide lookup does b, one per bit.
    var bootstrapLowerBound: Double {
        Double(bootstrapCount) + elements.map { Double($0.value * $0.key) }.reduce(0, +)
    }
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
        /// Levels of circuit bootstrapping and of the packing keyswitch, for wide lookups.
        public var circuitLevels = 1...8
        public var packingLevels = 1...4
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
    /// for the whole circuit), each meeting the per-lookup failure probability of `target`; with
    /// `wideLookups`, also the decompositions of the wide lookups, the set and them chosen by the
    /// cost of the whole run.
    /// - Throws: `OptimizerError.noFeasibleParameters` naming the hardest constraint and what to
    ///   change; `OptimizerError.invalidRequest` for no constraints, lookups outside 1…10 bits, a
    ///   bad 2-norm or target, or wide-lookup noise without wide lookups.
    public static func optimize(
        constraints: [LookupConstraint], wideLookups: WideLookupDemand? = nil, target: FailureTarget = .defaultTarget(),
        securityLevel: SecurityLevel = .bits128, space: SearchSpace = searchSpace
    ) throws -> OptimizedParameters {
        guard let widest = constraints.filter({ $0.kind == .lookup }).map(\.bits).max() ?? (wideLookups == nil ? nil : 1) else {
            throw OptimizerError.invalidRequest("give at least one lookup to optimize for")
        }
        if let bad = constraints.first(where: { $0.kind == .lookup && !supportedBits.contains($0.bits) }) {
            throw OptimizerError.invalidRequest("the optimizer handles 1…10-bit lookups, not \(bad.bits) bits: round the value first")
        }
        let perLookup = target.perLookupProbability
        guard perLookup > 0, perLookup < 1,
              constraints.allSatisfy({ [$0.norm2, $0.freshNorm2, $0.wideCMuxes].allSatisfy { $0 >= 0 && $0.isFinite } }) else {
            throw OptimizerError.invalidRequest(
                "a failure target must be in (0, 1) and 2-norms finite and non-negative (got \(target), \(constraints))")
        }
        guard wideLookups != nil || constraints.allSatisfy({ $0.wideCMuxes == 0 && $0.kind != .bitExtraction }),
              wideLookups?.elements.allSatisfy({ $0.key >= 1 && $0.value >= 0 }) ?? true else {
            throw OptimizerError.invalidRequest("wide-lookup noise or bit extractions need the wide lookups they come from")
        }
        guard wideLookups == nil || (space.circuitLevels.lowerBound >= 1 && space.circuitLevels.upperBound <= 63
                                     && space.packingLevels.lowerBound >= 1 && space.packingLevels.upperBound <= 64) else {
            throw OptimizerError.invalidRequest("circuit bootstrapping levels must be in 1…63 and packing levels in 1…64")
        }
        let limits = NoiseLimit.binding(constraints, failureProbability: target.perLookupProbability)
        let keyswitch = KeyswitchTable(space: space, securityLevel: securityLevel)
        var best: Candidate?
        var closest = ClosestInfeasible(bits: widest)
        // Sets that meet every limit but those that wide outputs reach: the binding reason when no set is feasible.
        var closestForWideOutputs: ClosestInfeasible?
        var overBudget = SmallestOverBudget()
        let costWeight = wideLookups?.bootstrapLowerBound ?? 1
        for family in CandidateFamily.all(in: space, widestLookup: widest, securityLevel: securityLevel) {
            guard let dimensions = family.lweDimensions(in: space, cheaperThan: best.map { $0.totalCost / costWeight }) else { continue }
            let packing = wideLookups == nil ? nil : PackingTable(family: family, space: space)
            for n in dimensions {
                var candidate = family.candidate(lweDimension: n, keyswitch: keyswitch)
                if let (limit, variance) = candidate.firstViolation(of: limits) {
                    if best == nil { closest.record(limit, variance: variance) }
                    continue
                }
                // A larger n only costs more, with larger keys and more PBS noise for wide lookups
                // (but for what their bit extractions gain, below).
                if let wideLookups, let packing {
                    let outcome = candidate.chooseWideLookup(wideLookups, limits: limits, packing: packing, space: space)
                    if case let .infeasible(limit, variance) = outcome, best == nil {
                        closestForWideOutputs = closestForWideOutputs ?? ClosestInfeasible(bits: widest)
                        closestForWideOutputs?.record(limit, variance: variance)
                    }
                    if case let .overBudget(keyBytes) = outcome { overBudget.record(keyBytes: keyBytes) }
                    if case let .extractionInfeasible(limit, variance) = outcome {
                        if best == nil { closest.record(limit, variance: variance) }
                        continue   // less keyswitch noise at a larger n
                    }
                    guard case let .chosen(choice) = outcome else { break }
                    candidate.wide = choice
                }
                if candidate.keyBytes > space.maximumKeyBytes {
                    overBudget.record(keyBytes: candidate.keyBytes)
                } else if best.map({ candidate.totalCost < $0.totalCost }) ?? true {
                    best = candidate
                }
                // A larger n has less keyswitch noise: more lookups per PBS may then read every bit.
                if let wide = candidate.wide,
                   wide.lookupsPerBootstrapLog < WideLookupParameters.mostLookupsPerBootstrapLog(circuitLevels: wide.circuitLevels),
                   let best, candidate.cost * costWeight < best.totalCost { continue }
                break
            }
        }
        guard let best else {
            if overBudget.keyBytes != nil { throw overBudget.error(budget: space.maximumKeyBytes, bits: widest) }
            throw (closestForWideOutputs ?? closest).error(failureProbability: target.perLookupProbability, space: space)
        }
        let parameters = try best.parameterSet(keyswitch: keyswitch, securityLevel: securityLevel)
        let wide = try best.wide.map { try $0.parameters(narrowestBits: wideLookups!.narrowestBits) }
        let worst = constraints.map { ($0.failureProbability(parameters, wide: wide), $0.variance(parameters, wide: wide)) }
            .max { $0.0 < $1.0 }!
        return OptimizedParameters(
            parameters: parameters, predictedVariance: worst.1, predictedLookupFailure: worst.0,
            securityLevel: parameters.securityLevel ?? securityLevel, cost: CostModel.cost(parameters), wideLookup: wide)
    }
}
