import ArgumentParser
import FHE
import Foundation

/// `fhec check-params`: measures a parameter set against its noise model and security curve.
struct CheckParams: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-params",
        abstract: "Test a parameter set: measured against predicted noise, wrong results, security.",
        discussion: """
            Generates keys, bootstraps K random messages, applies clear weights of the given 2-norm \
            (as a dot product would), then measures with the secret keys the noise at the table \
            lookup input (after keyswitch and modulus switch, before rounding) and at the PBS output, \
            and counts wrong results of a KS + PBS with a random table.
            """)

    @Option(parsing: .unconditional, help: "Bits of message at the lookup (the optimizer's set for them unless a set is given).")
    var bits: Int = 4

    @Option(parsing: .unconditional, help: "Random messages to measure (2…\(maximumSampleCount)).")
    var samples: Int = 256

    @Option(parsing: .unconditional,
            help: "2-norm of the clear weights before the lookup (1…2^20; its square is rounded to an integer).")
    var norm2: Double = 1

    @OptionGroup var threadOption: ThreadOption
    var threads: Int? { threadOption.threads }

    @OptionGroup(title: "Parameter set (default: the optimizer's set for --bits and --norm2)")
    var parameterOptions: ParameterOptions

    @Flag(help: "Print one JSON object instead of a summary.")
    var json = false

    func validate() throws {
        try checkRange("--samples", samples, 2...maximumSampleCount)
        try checkRange("--norm2", norm2, ParameterCheck.norm2Range)
        try checkRange("--bits", bits, MessageEncoding.supportedBits)
    }

    func run() throws {
        let parameters = try parameterOptions.usesDefault
            ? Optimizer.optimize(bits: bits, norm2: norm2).parameters
            : parameterOptions.resolve(bits: bits)
        let check = try ParameterCheck.run(parameters: parameters, bits: bits, samples: samples, norm2: norm2,
                                           threads: threads)
        let report = Report(
            samples: check.samples, errors: check.errors,
            measuredLog2StdTLUInput: check.measuredLog2StdTLUInput, predictedLog2StdTLUInput: check.predictedLog2StdTLUInput,
            measuredLog2StdPBSOutput: check.measuredLog2StdPBSOutput, predictedLog2StdPBSOutput: check.predictedLog2StdPBSOutput,
            predictedPError: check.predictedPError, securityBits: check.securityLevel?.rawValue ?? 0,
            secure: check.securityLevel != nil, params: parameters, verdict: check.verdict)
        if json {
            try printJSON(report)
        } else {
            func log(_ value: Double) -> String { String(format: "2^%.2f", value) }
            print("""
                parameters:          \(parameters)
                samples:             \(check.samples), \(bits)-bit messages, weights of 2-norm \(String(format: "%.3g", check.norm2))
                noise at TLU input:  measured \(log(check.measuredLog2StdTLUInput)), predicted \(log(check.predictedLog2StdTLUInput))
                noise at PBS output: measured \(log(check.measuredLog2StdPBSOutput)), predicted \(log(check.predictedLog2StdPBSOutput))
                wrong results:       \(check.errors) of \(check.samples)
                failure probability: \(check.predictedPError) per lookup (predicted)
                security:            \(check.securityLevel.map { "\($0.rawValue) bits" } ?? "below 128 bits: INSECURE")
                verdict:             \(check.verdict)
                """)
        }
        if check.securityLevel == nil || !check.noiseMatchesModel { throw ExitCode(1) }
    }

    struct Report: Encodable {
        let samples, errors: Int
        let measuredLog2StdTLUInput, predictedLog2StdTLUInput: Double
        let measuredLog2StdPBSOutput, predictedLog2StdPBSOutput: Double
        let predictedPError: Double
        let securityBits: Int
        let secure: Bool
        let params: ParameterSet
        let verdict: String

        enum CodingKeys: String, CodingKey {
            case samples, errors, secure, params, verdict
            case measuredLog2StdTLUInput = "measured_log2_std_tlu_input"
            case predictedLog2StdTLUInput = "predicted_log2_std_tlu_input"
            case measuredLog2StdPBSOutput = "measured_log2_std_pbs_output"
            case predictedLog2StdPBSOutput = "predicted_log2_std_pbs_output"
            case predictedPError = "predicted_p_error"
            case securityBits = "security_bits"
        }
    }
}
