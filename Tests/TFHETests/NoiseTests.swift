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
            Reference.torusError(try secretKeys.lweKey.phase(of: ciphertext), encoding.encode(message))
        }
        let measured = Reference.standardDeviation(errors)
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
            Reference.torusError(try secretKeys.bigLWEKey.phase(of: ciphertext), encoding.encode(message))
        }
        let measured = Reference.standardDeviation(errors)
        let predicted = NoiseModel.bootstrapVariance(parameters).squareRoot()
        #expect(measured / predicted > 0.75 && measured / predicted < 1.25,
                "measured 2^\(log2(measured)), predicted 2^\(log2(predicted))")
    }
}
