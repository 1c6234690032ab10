import FHEOptimizer
import FHEParameters
import Foundation
import Testing
@testable import TFHE

/// The measured noise against the formulas of DESIGN.md §3 (NoiseModel).
///
/// KS: 1024 samples; PBS: 256 samples. The relative error of a standard deviation estimated
/// from K Gaussian samples is about 1/√(2K) (2.2 % and 4.4 %), so the ±25 % band (the
/// parameters issue's bound; the foundation issue asked for a factor 1.5) is 5.7 standard
/// errors wide for the PBS: it fails by chance with probability below 10⁻⁸ when the model is right.
@Suite("Noise against the model")
struct NoiseTests {
    static let sets: [ParameterSet] = [.concrete4Bit, .tfheRS2_2, try! Optimizer.optimize(bits: 3).parameters]

    @Test("keyswitch noise", arguments: sets)
    func keyswitchNoise(parameters: ParameterSet) throws {
        let (secretKeys, serverKey) = try KeyCache.shared.keys(for: parameters)
        let encoding = try MessageEncoding(bits: 4)
        let messages = (0..<1024).map { $0 % 16 }
        let switched = try serverKey.keyswitch(try secretKeys.encrypt(messages, encoding: encoding))
        let errors = try zip(messages, switched).map { message, ciphertext in
            NoiseStatistics.torusError(try secretKeys.lweKey.phase(of: ciphertext), encoding.encode(message))
        }
        let measured = NoiseStatistics.standardDeviation(errors)
        // The input's own noise (σ_glwe) is negligible here but counted.
        let predicted = (NoiseModel.keyswitchVariance(parameters) + parameters.glweNoiseStd * parameters.glweNoiseStd).squareRoot()
        #expect(measured / predicted > 0.75 && measured / predicted < 1.25,
                "measured 2^\(log2(measured)), predicted 2^\(log2(predicted))")
    }

    @Test("PBS output noise", arguments: sets)
    func bootstrapNoise(parameters: ParameterSet) throws {
        let (secretKeys, serverKey) = try KeyCache.shared.keys(for: parameters)
        let encoding = try MessageEncoding(bits: 3)
        let messages = (0..<256).map { $0 % 8 }
        let testPolynomial = try serverKey.testPolynomial(for: .identity(bits: 3))
        let outputs = try serverKey.applyLookupTable(try secretKeys.encrypt(messages, encoding: encoding), testPolynomial)
        let errors = try zip(messages, outputs).map { message, ciphertext in
            NoiseStatistics.torusError(try secretKeys.bigLWEKey.phase(of: ciphertext), encoding.encode(message))
        }
        let measured = NoiseStatistics.standardDeviation(errors)
        let predicted = NoiseModel.bootstrapVariance(parameters).squareRoot()
        #expect(measured / predicted > 0.75 && measured / predicted < 1.25,
                "measured 2^\(log2(measured)), predicted 2^\(log2(predicted))")
    }
}

/// The whole path to a table lookup: PBS outputs, clear weights, keyswitch, modulus switch
/// (`ParameterCheck`, what `fhec check-params` runs). 256 samples: the ±25 % band is 5.7
/// standard errors wide.
@Suite("Noise at the TLU input")
struct TLUInputNoiseTests {
    @Test("measured noise at the PBS output and the TLU input is within 25 % of the model",
          arguments: [(ParameterSet.concrete4Bit, 1.0, 4), (.tfheRS2_2, 3.0, 4),
                      (try! Optimizer.optimize(bits: 3, norm2: 2).parameters, 2.0, 3)])
    func tluInput(parameters: ParameterSet, norm2: Double, bits: Int) throws {
        let check = try ParameterCheck.run(parameters: parameters, bits: bits, samples: 256, norm2: norm2)
        let summary = "TLU input 2^\(check.measuredLog2StdTLUInput) vs 2^\(check.predictedLog2StdTLUInput), "
            + "PBS output 2^\(check.measuredLog2StdPBSOutput) vs 2^\(check.predictedLog2StdPBSOutput)"
        #expect(check.noiseMatchesModel, "\(summary)")
        #expect(check.securityLevel != nil)
        // Predicted failure ≤ 1e-5 per lookup: one wrong result in 256 happens with probability
        // about 0.3 %, two with probability below 1e-5.
        #expect(check.errors <= 1)
        #expect(check.norm2 == norm2)
    }

    @Test("weights come from four squares", arguments: [0, 1, 2, 3, 7, 15, 24, 255, 1000])
    func fourSquares(value: Int) {
        let squares = ParameterCheck.fourSquares(value)
        #expect(squares.count == 4 && squares.map { $0 * $0 }.reduce(0, +) == value)
    }

    @Test("an insecure set is flagged")
    func insecure() throws {
        let weak = try ParameterSet(lweDimension: 600, glweDimension: 1, polynomialSize: 1024, pbsBaseLog: 23,
                                    pbsLevelCount: 1, ksBaseLog: 4, ksLevelCount: 3, lweNoiseStd: 1e-7)
        let check = try ParameterCheck.run(parameters: weak, bits: 3, samples: 8)
        #expect(check.securityLevel == nil)
        #expect(check.verdict.hasPrefix("INSECURE"))
    }
}
