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
    }

    /// The default search space (n 500…2048, N 2^8…2^16, k 1…6).
    public static let searchSpace = SearchSpace()

    /// Precisions the optimizer accepts.
    public static let supportedBits = 1...10

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
        // Only the constraints that no other one implies matter.
        let distinct = Array(Set(constraints))
        let binding = distinct.filter { constraint in !distinct.contains { $0 != constraint && constraint.isImplied(by: $0) } }
        typealias Limit = (bits: Int, weight: Double, freshWeight: Double, switched: Double, maximum: Double)
        let limits: [Limit] = binding.map {
            (bits: $0.bits, weight: $0.norm2 * $0.norm2, freshWeight: $0.freshNorm2 * $0.freshNorm2,
             switched: $0.isDecryption ? 0.0 : 1.0, maximum: NoiseModel.maximumVariance(bits: $0.bits, failureProbability: perLookup))
        }.sorted { $0.maximum < $1.maximum }   // the tightest first: most candidates fail there
        let keyswitch = KeyswitchTable(space: space, securityLevel: securityLevel)

        var best: (cost: Double, n: Int, k: Int, size: Int, baseLog: Int, levels: Int, ksLevels: Int)?
        var closest = (ratio: Double.infinity, bits: widest, variance: Double.infinity, weight: 1.0, decrypted: false)   // for the error
        for logSize in space.logPolynomialSizes where (2 << widest) <= (1 << logSize) {
            let size = 1 << logSize
            for k in space.glweDimensions {
                let glweKeyVariance = exp2(2 * securityLevel.minimumNoiseLog2Std(dimension: k * size))
                for levels in space.pbsLevels {
                    let (stepVariance, baseLog) = bestPBSBase(k: k, size: size, levels: levels, glweKeyVariance: glweKeyVariance)
                    for ksLevels in space.ksLevels {
                        let cheapest = CostModel.cost(lweDimension: space.lweDimensions.lowerBound, glweDimension: k,
                                                      polynomialSize: size, pbsLevels: levels, ksLevels: ksLevels)
                        if let best, cheapest >= best.cost { break }   // more KS levels only cost more
                        // The cost is linear in n: only the n cheaper than the best so far can win.
                        let first = space.lweDimensions.lowerBound
                        let slope = CostModel.cost(lweDimension: first + 1, glweDimension: k, polynomialSize: size,
                                                   pbsLevels: levels, ksLevels: ksLevels) - cheapest
                        let last = best.map { min(space.lweDimensions.upperBound, first + Int((($0.cost - cheapest) / slope).rounded(.up))) }
                            ?? space.lweDimensions.upperBound
                        for n in first...last {
                            let bootstrap = Double(n) * stepVariance
                            let fixed = Double(k * size) * keyswitch.variance(n: n, levels: ksLevels)
                                + NoiseModel.modulusSwitchVariance(lweDimension: n, polynomialSize: size)
                            func variance(_ limit: Limit) -> Double {
                                limit.weight * bootstrap + limit.freshWeight * glweKeyVariance + limit.switched * fixed
                            }
                            if let failed = limits.first(where: { variance($0) > $0.maximum }) {
                                // For the error when nothing is feasible: the set nearest to the tightest
                                // constraint it fails.
                                if best == nil, variance(failed) / failed.maximum < closest.ratio {
                                    closest = (variance(failed) / failed.maximum, failed.bits, variance(failed), failed.weight,
                                               failed.switched == 0)
                                }
                                continue
                            }
                            let cost = CostModel.cost(lweDimension: n, glweDimension: k, polynomialSize: size,
                                                      pbsLevels: levels, ksLevels: ksLevels)
                            if best == nil || cost < best!.cost {
                                best = (cost, n, k, size, baseLog, levels, ksLevels)
                            }
                            break   // a larger n only costs more
                        }
                    }
                }
            }
        }
        guard let best else {
            let maximum = NoiseModel.maximumVariance(bits: closest.bits, failureProbability: perLookup)
            throw OptimizerError.noFeasibleParameters(reason:
                (closest.decrypted ? "decrypting a \(closest.bits)-bit result" : "a \(closest.bits)-bit lookup")
                + " with failure probability \(perLookup) needs a noise standard deviation below "
                + "2^\(String(format: "%.2f", log2(maximum) / 2)) at its input, and the least noisy set with "
                + "n ≤ \(space.lweDimensions.upperBound), N ≤ 2^\(space.logPolynomialSizes.upperBound), k ≤ \(space.glweDimensions.upperBound) "
                + "reaches 2^\(String(format: "%.2f", log2(closest.variance) / 2)) at a 2-norm of \(closest.weight.squareRoot()); "
                + "use fewer bits (roundBitPattern, fewer quantization bits), smaller weights after lookups, or a looser failure target")
        }
        let parameters = try ParameterSet(
            lweDimension: best.n, glweDimension: best.k, polynomialSize: best.size,
            pbsBaseLog: best.baseLog, pbsLevelCount: best.levels,
            ksBaseLog: keyswitch.baseLog(n: best.n, levels: best.ksLevels), ksLevelCount: best.ksLevels,
            securityLevel: securityLevel)
        let worst = constraints.map { ($0.failureProbability(parameters), $0.variance(parameters)) }.max { $0.0 < $1.0 }!
        return OptimizedParameters(
            parameters: parameters, predictedVariance: worst.1, predictedLookupFailure: worst.0,
            securityLevel: parameters.securityLevel ?? securityLevel, cost: CostModel.cost(parameters))
    }

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
