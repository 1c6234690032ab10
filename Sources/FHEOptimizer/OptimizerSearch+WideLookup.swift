import FHEParameters
import Foundation

// How `Optimizer.optimize` sizes the decompositions of wide lookups for a candidate set: the
// packing keyswitch's base for each level count (it depends on the family only), then for each
// (ℓ_cb, ℓ_pks) the circuit bootstrapping base with the least noise, and of the pairs whose noise
// fits every limit that wide outputs reach, the one with the cheapest run.

/// For a family (k, N, σ_glwe), each packing keyswitch level count of the space with the base
/// that adds the least noise to a vertical-packing CMux: (kN/2 + 1)·rounding + (k+1)·N·keys of
/// `NoiseModel.wideLookupCMuxVariance`'s terms.
struct PackingTable {
    let entries: [(baseLog: Int, levels: Int, noise: (keys: Double, rounding: Double))]

    init(family: CandidateFamily, space: Optimizer.SearchSpace) {
        let k = Double(family.glweDimension), size = Double(family.polynomialSize)
        entries = space.packingLevels.map { levels in
            var best: (baseLog: Int, levels: Int, noise: (keys: Double, rounding: Double))?
            var least = Double.infinity
            for baseLog in 1...(64 / levels) {
                let noise = NoiseModel.packingKeyswitchVariance(
                    bigDimension: family.glweDimension * family.polynomialSize, glweKeyVariance: family.glweKeyVariance,
                    baseLog: baseLog, levels: levels)
                let added = (k * size / 2 + 1) * noise.rounding + (k + 1) * size * noise.keys
                if added < least { (least, best) = (added, (baseLog, levels, noise)) }
            }
            return best!
        }
    }
}

/// The decompositions chosen for a candidate's wide lookups, with what they cost.
struct WideLookupChoice {
    let circuitBaseLog: Int, circuitLevels: Int, packingBaseLog: Int, packingLevels: Int, lookupsPerBootstrapLog: Int
    /// The whole run's cost: the other KS + PBS and the wide lookups (`CostModel`).
    let runCost: Double
    /// Bytes of the circuit bootstrapping keys in memory.
    let keyBytes: Int

    func parameters(narrowestBits: Int) throws -> WideLookupParameters {
        try WideLookupParameters(circuitBaseLog: circuitBaseLog, circuitLevels: circuitLevels, packingBaseLog: packingBaseLog,
                                 packingLevels: packingLevels, lookupsPerBootstrapLog: lookupsPerBootstrapLog,
                                 narrowestBits: narrowestBits)
    }
}

/// What sizing a candidate's wide lookups gave.
enum WideLookupOutcome {
    case chosen(WideLookupChoice)
    /// No decomposition keeps the noise under `limit`, which wide outputs reach: the least
    /// variance there (a larger n only adds PBS noise).
    case infeasible(NoiseLimit, variance: Double)
    /// With any number of lookups per PBS a bit extraction exceeds `limit` (the modulus switch's
    /// noise): a larger n may serve.
    case extractionInfeasible(NoiseLimit, variance: Double)
    /// Every decomposition that fits makes the keys this large at least.
    case overBudget(keyBytes: Int)
}

extension Candidate {
    /// The cheapest decompositions of the space for `demand` whose noise meets every limit.
    func chooseWideLookup(_ demand: WideLookupDemand, limits: [NoiseLimit], packing: PackingTable,
                          space: Optimizer.SearchSpace) -> WideLookupOutcome {
        let (k, size) = (family.glweDimension, family.polynomialSize)
        let reached = limits.filter { $0.wideCMuxes > 0 }, extractions = limits.filter { $0.kind == .bitExtraction }
        // The largest CMux variance every limit that wide outputs reach allows.
        let allowance = reached.map { ($0.maximum - variance(under: $0)) / $0.wideCMuxes }.min() ?? .infinity
        let baseKeyBytes = keyBytes
        var best: WideLookupChoice?, leastNoise = Double.infinity, smallestOverBudget: Int?
        var failedExtraction: (limit: NoiseLimit, variance: Double)?
        for circuitLevels in space.circuitLevels {
            // Each bit's ℓ_cb levels and clearing output, 2^lutLog per PBS: the modulus switch of
            // many-LUT PBS must still read every bit.
            let lutLogs = (0...WideLookupParameters.mostLookupsPerBootstrapLog(circuitLevels: circuitLevels)).filter { lutLog in
                guard let limit = extractions.first(where: { variance(under: $0, lutLog: lutLog) > $0.maximum }) else { return true }
                failedExtraction = failedExtraction ?? (limit, variance(under: limit, lutLog: lutLog))
                return false
            }
            guard !lutLogs.isEmpty else { continue }
            for entry in packing.entries {
                var cmux = (variance: Double.infinity, baseLog: 1)
                for baseLog in 1...max(1, 63 / circuitLevels) {
                    let variance = NoiseModel.wideLookupCMuxVariance(
                        glweDimension: k, polynomialSize: size, bootstrapVariance: bootstrapVariance, packing: entry.noise,
                        circuitBaseLog: baseLog, circuitLevels: circuitLevels)
                    if variance < cmux.variance { cmux = (variance, baseLog) }
                }
                leastNoise = min(leastNoise, cmux.variance)
                guard cmux.variance <= allowance else { continue }
                let keys = WideLookupParameters.circuitKeyBytes(glweDimension: k, polynomialSize: size, packingLevels: entry.levels)
                guard baseKeyBytes + keys <= space.maximumKeyBytes else {
                    smallestOverBudget = min(smallestOverBudget ?? .max, baseKeyBytes + keys)
                    continue
                }
                for lutLog in lutLogs {
                    let bootstrapsPerBit = WideLookupParameters.bootstrapsPerBit(circuitLevels: circuitLevels, lookupsPerBootstrapLog: lutLog)
                    let wideCost = demand.elements.map { bits, count in
                        Double(count) * CostModel.wideLookupCost(bootstrapCost: cost, glweDimension: k, polynomialSize: size,
                                                                 circuitLevels: circuitLevels, packingLevels: entry.levels,
                                                                 bootstrapsPerBit: bootstrapsPerBit, bits: bits)
                    }.reduce(0, +)
                    let runCost = Double(demand.bootstrapCount) * cost + wideCost
                    guard best.map({ runCost < $0.runCost }) ?? true else { continue }
                    best = WideLookupChoice(circuitBaseLog: cmux.baseLog, circuitLevels: circuitLevels, packingBaseLog: entry.baseLog,
                                            packingLevels: entry.levels, lookupsPerBootstrapLog: lutLog, runCost: runCost,
                                            keyBytes: keys)
                }
            }
        }
        if let best { return .chosen(best) }
        if let smallestOverBudget { return .overBudget(keyBytes: smallestOverBudget) }
        guard leastNoise < .infinity else {
            return .extractionInfeasible(failedExtraction!.limit, variance: failedExtraction!.variance)
        }
        let tightest = reached.max { variance(under: $0, cmuxVariance: leastNoise) / $0.maximum
            < variance(under: $1, cmuxVariance: leastNoise) / $1.maximum }!
        return .infeasible(tightest, variance: variance(under: tightest, cmuxVariance: leastNoise))
    }
}
