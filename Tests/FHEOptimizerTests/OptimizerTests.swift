import FHEOptimizer
import FHEParameters
import Foundation
import Testing

@Suite("The parameter optimizer")
struct OptimizerTests {
    /// (How fast the search is belongs to the benchmarks: timed under parallel tests it is noise.)
    @Test("the choice for p = 1…8 at ‖w‖₂ = 1 and 16 is secure and meets the target",
          arguments: [1.0, 16.0], 1...8)
    func choice(norm2: Double, bits: Int) throws {
        let result = try Optimizer.optimize(bits: bits, norm2: norm2)
        #expect(result.parameters.securityLevel != nil)
        let failure = NoiseModel.failureProbability(bits: bits, variance: NoiseModel.tluInputVariance(result.parameters, norm2: norm2))
        #expect(failure <= 1e-5, "p_error \(failure)")
        #expect(abs(failure - result.predictedLookupFailure) <= 1e-12)
    }

    @Test("the choice is never costlier than Concrete's published set at its own target")
    func beatsConcrete() throws {
        let concrete: [(Int, Int, Int, Int, Int, Int, Int)] = [   // bits: n, k, N, PBS ℓ/β, KS ℓ/β
            (592, 5, 256, 1, 15, 3, 3), (700, 5, 256, 1, 15, 3, 4), (722, 3, 512, 1, 18, 3, 4),
            (801, 2, 1024, 1, 23, 3, 4), (783, 1, 2048, 1, 23, 5, 3), (880, 1, 4096, 1, 22, 4, 4),
            (915, 1, 8192, 1, 22, 6, 3), (1006, 1, 16384, 2, 15, 5, 4),
        ]
        for (index, c) in concrete.enumerated() {
            let bits = index + 1
            let reference = try ParameterSet(lweDimension: c.0, glweDimension: c.1, polynomialSize: c.2, pbsBaseLog: c.4,
                                              pbsLevelCount: c.3, ksBaseLog: c.6, ksLevelCount: c.5)
            let target = NoiseModel.failureProbability(bits: bits, variance: NoiseModel.tluInputVariance(reference))
            // 0.1 % of slack: at exactly the reference's own failure probability, rounding decides.
            let ours = try Optimizer.optimize(bits: bits, target: .perLookup(target * 1.001))
            #expect(ours.cost <= CostModel.cost(reference) * 1.000001, "\(bits) bits: \(ours.parameters) vs \(reference)")
        }
    }

    @Test("impossible requests throw noFeasibleParameters with what to change")
    func impossible() {
        do {
            _ = try Optimizer.optimize(bits: 10, norm2: 1000, target: .perLookup(1e-15))
            Issue.record("found parameters for an impossible request")
        } catch let error as OptimizerError {
            guard case let .noFeasibleParameters(reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("fewer bits") && reason.contains("looser failure target"))
        } catch { Issue.record("\(error)") }
        #expect(throws: OptimizerError.self) { try Optimizer.optimize(bits: 11) }
        #expect(throws: OptimizerError.self) { try Optimizer.optimize(bits: 4, target: .perLookup(0)) }
    }

    @Test("a global target over m lookups is stricter per lookup")
    func globalTarget() throws {
        #expect(abs(FailureTarget.global(1e-5, lookupCount: 100).perLookupProbability - 1.00000005e-7) < 1e-12)
        let one = try Optimizer.optimize(bits: 4, target: .global(1e-5, lookupCount: 1))
        let many = try Optimizer.optimize(bits: 4, target: .global(1e-5, lookupCount: 10_000))
        #expect(many.cost >= one.cost)
        #expect(many.predictedLookupFailure <= 1e-9 * 1.0001)
    }

    @Test("several constraints: the set meets each, costs at least as much as each alone; fresh noise and decryption count")
    func constraints() throws {
        let wide = LookupConstraint(bits: 6), amplified = LookupConstraint(bits: 3, norm2: 256)
        let both = try Optimizer.optimize(constraints: [wide, amplified])
        for constraint in [wide, amplified] {
            #expect(constraint.failureProbability(both.parameters) <= 1e-5 * 1.0001, "\(constraint)")
            #expect(both.cost >= (try Optimizer.optimize(constraints: [constraint])).cost)
        }
        // Fresh encryptions carry σ_glwe, far below a PBS output: a lookup right after a dot
        // product of arguments is cheaper than one after the same product of PBS outputs.
        let fresh = try Optimizer.optimize(constraints: [LookupConstraint(bits: 4, norm2: 0, freshNorm2: 64)])
        #expect(fresh.cost < (try Optimizer.optimize(bits: 4, norm2: 64)).cost)
        // A decryption has no keyswitch or modulus switch, but its PBS noise counts.
        let decrypted = LookupConstraint(bits: 12, norm2: 8, kind: .decryption)
        let withResult = try Optimizer.optimize(constraints: [LookupConstraint(bits: 2, norm2: 0), decrypted])
        #expect(decrypted.failureProbability(withResult.parameters) <= 1e-5 * 1.0001)
        #expect(decrypted.variance(withResult.parameters) < NoiseModel.tluInputVariance(withResult.parameters, norm2: 8))
    }

    /// A b-bit wide lookup of a fresh argument whose output is decrypted at `outputBits` bits:
    /// its bit extractions (bit i read under i PBS outputs) and the decryption of its CMuxes' noise.
    private static func wideLookup(bits: Int, outputBits: Int) -> [LookupConstraint] {
        (0..<bits).map { LookupConstraint(bits: bits - $0, norm2: Double($0).squareRoot(), freshNorm2: 1, kind: .bitExtraction) }
            + [LookupConstraint(bits: outputBits, norm2: 0, wideCMuxes: Double(bits), kind: .decryption)]
    }

    @Test("wide lookups: the decompositions are chosen with the set, and every constraint holds with them")
    func wideLookups() throws {
        let demand = WideLookupDemand(elements: [12: 1], bootstrapCount: 0)
        let wide = try Optimizer.optimize(constraints: Self.wideLookup(bits: 12, outputBits: 12), wideLookups: demand)
        let narrow = try Optimizer.optimize(constraints: Self.wideLookup(bits: 12, outputBits: 4), wideLookups: demand)
        for (result, outputBits) in [(wide, 12), (narrow, 4)] {
            let decompositions = try #require(result.wideLookup)
            for constraint in Self.wideLookup(bits: 12, outputBits: outputBits) {
                #expect(constraint.failureProbability(result.parameters, wide: decompositions) <= 1e-5 * 1.0001, "\(constraint)")
            }
        }
        // Narrower outputs allow a cheaper run; the cost model counts the extra levels.
        #expect(CostModel.wideLookupCost(narrow.parameters, wide: narrow.wideLookup!, bits: 12)
                < CostModel.wideLookupCost(wide.parameters, wide: wide.wideLookup!, bits: 12))
        // Wide noise without its decompositions is infinite; bit extractions without a demand are refused.
        #expect(Self.wideLookup(bits: 12, outputBits: 12).last!.variance(wide.parameters) == .infinity)
        #expect(throws: OptimizerError.self) {
            try Optimizer.optimize(constraints: [LookupConstraint(bits: 4)] + Self.wideLookup(bits: 12, outputBits: 4))
        }
        // No set reaches 30-bit outputs: the error names the decryption.
        let error = #expect(throws: OptimizerError.self) {
            try Optimizer.optimize(constraints: Self.wideLookup(bits: 12, outputBits: 30), wideLookups: demand)
        }
        #expect(error.map { "\($0)" }?.contains("decrypting a 30-bit result") == true, "\(String(describing: error))")
    }
}
