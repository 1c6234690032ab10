import ArgumentParser
import FHE
import Foundation

/// `fhec params`: the optimizer's parameter set for a precision, a 2-norm and a failure target.
struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Choose the cheapest secure parameter set for a table lookup of P bits.")

    @Option(parsing: .unconditional, help: "Bits at the table lookup input (1…10).")
    var bits: Int

    @Option(parsing: .unconditional, help: "2-norm of the clear weights applied since the last lookup (1…2^20).")
    var norm2: Double = 1

    @Option(parsing: .unconditional, help: "Failure probability per lookup.")
    var pError: Double?

    @Option(parsing: .unconditional, help: "Failure probability of the whole circuit (default 1e-5, like Concrete).")
    var globalPError: Double?

    @Option(parsing: .unconditional, help: "Lookups in the circuit, for --global-p-error.")
    var tluCount: Int = 1

    @Option(parsing: .unconditional, help: "Security level in bits: 128 or 132.")
    var security: Int = 128

    @Flag(help: "Print one JSON object instead of a summary.")
    var json = false

    func validate() throws {
        if pError != nil && globalPError != nil {
            throw ValidationError("give --p-error or --global-p-error, not both")
        }
        guard SecurityLevel(rawValue: security) != nil else {
            throw ValidationError("--security must be 128 or 132, got \(security)")
        }
        guard tluCount > 0 else { throw ValidationError("--tlu-count must be positive, got \(tluCount)") }
        try checkRange("--norm2", norm2, ParameterCheck.norm2Range)
    }

    func run() throws {
        let target: FailureTarget = pError.map { .perLookup($0) }
            ?? .global(globalPError ?? 1e-5, lookupCount: tluCount)
        let (result, searchMilliseconds) = try measure {
            try Optimizer.optimize(bits: bits, norm2: norm2, target: target,
                                   securityLevel: SecurityLevel(rawValue: security)!)
        }
        let report = Report(
            params: result.parameters, predictedLog2Std: log2(result.predictedVariance) / 2,
            predictedPError: result.predictedLookupFailure, securityBits: result.securityLevel.rawValue,
            cost: result.cost, bootstrapKeyBytes: result.parameters.bootstrapKeyBytes,
            keyswitchKeyBytes: result.parameters.keyswitchKeyBytes, searchMs: searchMilliseconds)
        if json {
            try printJSON(report)
        } else {
            print("""
                parameters:          \(result.parameters)
                noise at TLU input:  2^\(String(format: "%.2f", report.predictedLog2Std)) (standard deviation, fraction of q)
                failure probability: \(report.predictedPError) per lookup (target \(target))
                security:            \(report.securityBits) bits
                cost:                \(String(format: "%.3g", report.cost)) weighted multiply-adds per KS + PBS
                keys:                bootstrapping \(mebibytes(report.bootstrapKeyBytes)), keyswitching \(mebibytes(report.keyswitchKeyBytes))
                search:              \(milliseconds(searchMilliseconds))
                """)
        }
    }

    struct Report: Encodable {
        let params: ParameterSet
        let predictedLog2Std, predictedPError: Double
        let securityBits: Int
        let cost: Double
        let bootstrapKeyBytes, keyswitchKeyBytes: Int
        let searchMs: Double

        enum CodingKeys: String, CodingKey {
            case params, cost
            case predictedLog2Std = "predicted_log2_std", predictedPError = "predicted_p_error"
            case securityBits = "security_bits", bootstrapKeyBytes = "bootstrap_key_bytes"
            case keyswitchKeyBytes = "keyswitch_key_bytes", searchMs = "search_ms"
        }
    }
}
