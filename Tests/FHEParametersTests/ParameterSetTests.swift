import FHEParameters
import Foundation
import Testing

@Suite("Parameter sets, the security curve and the noise model")
struct ParameterSetTests {
    @Test("the 128-bit curve: σ_min(d) = 2^max(a·d + b, −62)")
    func curve() {
        let level = SecurityLevel.bits128
        #expect(abs(level.minimumNoiseLog2Std(dimension: 822) - (-0.025696778711484593 * 822 + 2.675931372549016)) < 1e-12)
        #expect(level.minimumNoiseLog2Std(dimension: 4096) == -62)
        #expect(SecurityLevel.bits132.minimumNoiseStd(dimension: 900) > level.minimumNoiseStd(dimension: 900))
    }

    @Test("named sets are secure and keep their shapes")
    func namedSets() throws {
        let concrete = try ParameterSet.named("concrete-4bit")
        #expect([concrete.lweDimension, concrete.glweDimension, concrete.polynomialSize] == [Int]([822, 2, 1024]))
        #expect([concrete.pbsLevelCount, concrete.pbsBaseLog, concrete.ksLevelCount, concrete.ksBaseLog] == [Int]([1, 23, 3, 5]))
        #expect(concrete.securityLevel == .bits128)
        let tfheRS = try ParameterSet.named("tfhe-rs-2_2")
        #expect(tfheRS.lweNoiseStd == 2.0462e-6 && tfheRS.glweNoiseStd == 2.8453e-15)
        #expect(tfheRS.securityLevel == .bits132)   // its σ are above the 132-bit curve too
        #expect(throws: ParameterError.self) { try ParameterSet.named("concrete-5bit") }
    }

    @Test("a set whose key noise is below the curve is insecure")
    func insecure() throws {
        let weak = try ParameterSet(lweDimension: 500, glweDimension: 1, polynomialSize: 1024, pbsBaseLog: 23,
                                    pbsLevelCount: 1, ksBaseLog: 3, ksLevelCount: 5, lweNoiseStd: 1e-9)
        #expect(weak.securityLevel == nil)
        let strict = try ParameterSet(lweDimension: 900, glweDimension: 1, polynomialSize: 2048, pbsBaseLog: 23,
                                      pbsLevelCount: 1, ksBaseLog: 3, ksLevelCount: 5, securityLevel: .bits132)
        #expect(strict.securityLevel == .bits132)
    }

    @Test("a noise left to the curve where no σ < q/2 is secure names the dimension, not a σ never given")
    func noNoiseForTinyDimensions() throws {
        let error = #expect(throws: ParameterError.self) {
            try ParameterSet(lweDimension: 1, glweDimension: 1, polynomialSize: 1024, pbsBaseLog: 23, pbsLevelCount: 1,
                             ksBaseLog: 3, ksLevelCount: 5)
        }
        #expect(error == .invalidValue(field: "lweDimension (n)", value: "1",
                                       expected: "at least 144: below it no noise under q/2 makes a key 128-bit secure"))
        #expect(SecurityLevel.bits128.minimumNoiseStd(dimension: 144) < 0.5 && SecurityLevel.bits128.minimumNoiseStd(dimension: 143) >= 0.5)
        // With its own noise the set exists, and is reported insecure.
        let given = try ParameterSet(lweDimension: 1, glweDimension: 1, polynomialSize: 1024, pbsBaseLog: 23, pbsLevelCount: 1,
                                     ksBaseLog: 3, ksLevelCount: 5, lweNoiseStd: 0.01)
        #expect(given.securityLevel == nil)
    }

    @Test("invalid values are rejected with a message naming the field",
          arguments: [
            (0, 1, 1024, 23, 1, 3, 5, "lweDimension"),
            (800, 0, 1024, 23, 1, 3, 5, "glweDimension"),
            (800, 1, 1000, 23, 1, 3, 5, "polynomialSize"),
            (800, 1, 128, 23, 1, 3, 5, "polynomialSize"),
            (800, 1, 1 << 18, 23, 1, 3, 5, "polynomialSize"),
            (800, 1, 1024, 0, 1, 3, 5, "pbsBaseLog"),
            (800, 1, 1024, 23, 3, 3, 5, "pbsBaseLog × pbsLevelCount"),
            (800, 1, 1024, 23, 0, 3, 5, "pbsLevelCount"),
            (800, 1, 1024, 23, 1, 64, 1, "ksBaseLog"),
            (800, 1, 1024, 23, 1, 9, 8, "ksBaseLog × ksLevelCount"),
          ])
    func invalid(n: Int, k: Int, size: Int, pbsBase: Int, pbsLevels: Int, ksBase: Int, ksLevels: Int, field: String) {
        do {
            _ = try ParameterSet(lweDimension: n, glweDimension: k, polynomialSize: size, pbsBaseLog: pbsBase,
                                 pbsLevelCount: pbsLevels, ksBaseLog: ksBase, ksLevelCount: ksLevels)
            Issue.record("accepted an invalid set")
        } catch let error as ParameterError {
            #expect(error.description.contains(field), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: ParameterError.self) {
            try ParameterSet(lweDimension: 800, glweDimension: 1, polynomialSize: 1024, pbsBaseLog: 23,
                             pbsLevelCount: 1, ksBaseLog: 3, ksLevelCount: 5, lweNoiseStd: -1)
        }
    }

    @Test("JSON uses fhec's keys and decoding validates")
    func codable() throws {
        let data = try JSONEncoder().encode(ParameterSet.tfheRS2_2)
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"n\"", "\"k\"", "\"N\"", "pbs_base_log", "pbs_levels", "ks_base_log", "ks_levels", "lwe_noise_std", "glwe_noise_std"] {
            #expect(text.contains(key))
        }
        #expect(try JSONDecoder().decode(ParameterSet.self, from: data) == .tfheRS2_2)
        let bad = Data(text.replacingOccurrences(of: "\"N\":2048", with: "\"N\":2000").utf8)
        #expect(throws: ParameterError.self) { try JSONDecoder().decode(ParameterSet.self, from: bad) }
    }

    @Test("the noise model reproduces Concrete's failure probabilities")
    func concreteFailure() {
        // Concrete's published 4-bit set (n 801, k 2, N 1024, PBS 1/23, KS 3/4) targets 6.3·10⁻⁵.
        let set = try! ParameterSet(lweDimension: 801, glweDimension: 2, polynomialSize: 1024, pbsBaseLog: 23,
                                    pbsLevelCount: 1, ksBaseLog: 4, ksLevelCount: 3)
        let failure = NoiseModel.failureProbability(bits: 4, variance: NoiseModel.tluInputVariance(set))
        #expect(failure > 5e-5 && failure < 7e-5, "\(failure)")
        #expect(abs(NoiseModel.failureProbability(perLookup: 1e-6, count: 1000) - 9.995e-4) < 1e-6)
    }
}
