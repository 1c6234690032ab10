import FHEParameters
import Foundation

/// Measures a parameter set against its noise model: the test that `fhec check-params` runs.
///
/// K random p-bit messages are encrypted and bootstrapped once (identity table), so that they
/// carry PBS-output noise, as the inputs of a levelled computation do. Clear weights of 2-norm
/// ‖w‖₂ are applied the way a dot product would: the message's ciphertext plus w₁…w₄ times
/// fresh bootstrapped encryptions of 0, with 1 + Σwⱼ² = ‖w‖₂² (Lagrange's four squares; ‖w‖₂² is
/// rounded to an integer), which keeps the message and gives the noise ‖w‖₂²·V_pbs. Then the
/// keyswitch and the modulus switch of a table lookup; the noise there is measured with the
/// secret keys, and a KS + PBS with a random table counts wrong results.
public struct ParameterCheck: Sendable {
    /// Samples measured.
    public let samples: Int
    /// Wrong results of the final table lookup.
    public let errors: Int
    /// The 2-norm actually applied (√ of the rounded ‖w‖₂²).
    public let norm2: Double
    /// log2 of the noise standard deviation at the TLU input (fraction of q), measured and predicted.
    public let measuredLog2StdTLUInput, predictedLog2StdTLUInput: Double
    /// log2 of the noise standard deviation at the PBS output, measured and predicted.
    public let measuredLog2StdPBSOutput, predictedLog2StdPBSOutput: Double
    /// The predicted failure probability of one lookup.
    public let predictedPError: Double
    /// The security level the set reaches, nil when below 128 bits.
    public let securityLevel: SecurityLevel?

    /// Whether every measured standard deviation is within ±25 % of its prediction.
    public var noiseMatchesModel: Bool {
        abs(exp2(measuredLog2StdTLUInput - predictedLog2StdTLUInput) - 1) <= 0.25
            && abs(exp2(measuredLog2StdPBSOutput - predictedLog2StdPBSOutput) - 1) <= 0.25
    }

    /// One line: is the set fit for use?
    public var verdict: String {
        if securityLevel == nil { return "INSECURE: the key noise is below the 128-bit curve" }
        if !noiseMatchesModel { return "MODEL MISMATCH: measured noise differs from the model by more than 25 %" }
        if errors > 0 {
            return "\(errors) wrong results of \(samples) (predicted failure probability \(predictedPError) per lookup)"
        }
        return "OK: \(securityLevel!.rawValue)-bit secure, noise within 25 % of the model, no wrong results"
    }

    /// The 2-norms a check takes: a message's own weight is 1; 2^20 bounds the weights' search.
    public static let norm2Range: ClosedRange<Double> = 1...1_048_576

    /// Runs the check: keygen, 2 + (up to 4) PBS per sample, one keyswitch per sample.
    /// - Throws: `TFHEError` for bits the set cannot hold, or a kernel failure.
    public static func run(parameters: ParameterSet, bits: Int, samples: Int, norm2: Double = 1,
                           threads: Int? = nil) throws -> ParameterCheck {
        guard samples >= 2 else { throw TFHEError.invalidArgument("a check needs at least 2 samples, got \(samples)") }
        guard norm2Range.contains(norm2) else {
            throw TFHEError.invalidArgument("the 2-norm must be in 1…2^20 (a message's own weight is 1), got \(norm2)")
        }
        let secretKeys = SecretKeys(parameters: parameters)
        let serverKey = try ServerKey(secretKeys: secretKeys, threads: threads)
        let encoding = try MessageEncoding(bits: bits)
        let identity = try serverKey.testPolynomial(for: .identity(bits: bits))
        var generator = SystemRandomNumberGenerator()
        let messages = (0..<samples).map { _ in Int.random(in: 0..<encoding.messageCount, using: &generator) }

        // Bootstrapped messages, and bootstrapped zeros for the weights.
        let squaredNorm = max(1, Int((norm2 * norm2).rounded()))
        let weights = fourSquares(squaredNorm - 1).filter { $0 != 0 }
        let fresh = try secretKeys.encrypt(messages + Array(repeating: 0, count: samples * weights.count), encoding: encoding)
        let bootstrapped = try serverKey.applyLookupTable(fresh, identity, threads: threads)
        let outputErrors = try zip(messages, bootstrapped).map { message, ciphertext in
            NoiseStatistics.torusError(try secretKeys.bigLWEKey.phase(of: ciphertext), encoding.encode(message))
        }

        // The dot products, then the TLU input: keyswitch and modulus switch.
        let combined = try (0..<samples).map { sample in
            var sum = bootstrapped[sample]
            for (index, weight) in weights.enumerated() {
                try sum.add(bootstrapped[samples * (index + 1) + sample].multiplied(by: weight))
            }
            return sum
        }
        let switched = try serverKey.keyswitch(combined, threads: threads)
        let inputErrors = try zip(messages, switched).map { message, ciphertext in
            NoiseStatistics.torusError(try secretKeys.lweKey.modulusSwitchedPhase(of: ciphertext, polynomialSize: parameters.polynomialSize),
                       encoding.encode(message))
        }

        // A random table on the combined ciphertexts.
        let table = try PBSTable(inputBits: bits) { _ in Int.random(in: 0..<encoding.messageCount, using: &generator) }
        let results = try serverKey.applyLookupTable(combined, serverKey.testPolynomial(for: table), threads: threads)
        let errors = try zip(messages, results).filter { try secretKeys.decrypt($1, encoding: encoding) != table[$0] }.count

        let applied = Double(squaredNorm).squareRoot()
        let inputVariance = NoiseModel.tluInputVariance(parameters, norm2: applied)
        return ParameterCheck(
            samples: samples, errors: errors, norm2: applied,
            measuredLog2StdTLUInput: log2(NoiseStatistics.standardDeviation(inputErrors)),
            predictedLog2StdTLUInput: log2(inputVariance) / 2,
            measuredLog2StdPBSOutput: log2(NoiseStatistics.standardDeviation(outputErrors)),
            predictedLog2StdPBSOutput: log2(NoiseModel.bootstrapVariance(parameters)) / 2,
            predictedPError: NoiseModel.failureProbability(bits: bits, variance: inputVariance),
            securityLevel: parameters.securityLevel)
    }

    /// Four integers whose squares add up to `value` (Lagrange), found by search.
    static func fourSquares(_ value: Int) -> [Int] {
        func root(_ x: Int) -> Int { Int(Double(x).squareRoot()) }
        for a in stride(from: root(value), through: 0, by: -1) {
            let restA = value - a * a
            for b in stride(from: min(a, root(restA)), through: 0, by: -1) {
                let restB = restA - b * b
                for c in stride(from: min(b, root(restB)), through: 0, by: -1) {
                    let d2 = restB - c * c
                    let d = root(d2)
                    if d * d == d2 && d <= c { return [a, b, c, d] }
                }
            }
        }
        return [0, 0, 0, 0]
    }
}
