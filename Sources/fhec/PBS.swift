import ArgumentParser
import FHE
import Foundation

/// `fhec pbs`: keygen, then a batched keyswitch + PBS with a random table on random messages.
struct PBS: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the keyswitch + programmable bootstrap on random messages and a random table.")

    @Option(parsing: .unconditional, help: "Bits of message (1…10 with the optimizer's sets).")
    var bits: Int = 4

    @Option(parsing: .unconditional, help: "How many random messages to bootstrap, as one batch (1…\(maximumSampleCount)).")
    var trials: Int = 64

    @OptionGroup var threadOption: ThreadOption
    var threads: Int? { threadOption.threads }

    @OptionGroup(title: "Parameter set (default: the optimizer's set for --bits, failure 1e-5 per lookup)")
    var parameterOptions: ParameterOptions

    @Flag(help: "Print one JSON object instead of a summary.")
    var json = false

    func validate() throws {
        try checkRange("--trials", trials, 1...maximumSampleCount)
        try checkRange("--bits", bits, MessageEncoding.supportedBits)
    }

    func run() throws {
        let parameters = try parameterOptions.resolve(bits: bits)
        let threadCount = Threading.resolved(threads)
        let (keys, keygenMilliseconds) = try measure { () throws -> (SecretKeys, ServerKey) in
            try withProgress("keygen") {
                let secretKeys = SecretKeys(parameters: parameters)
                return (secretKeys, try ServerKey(secretKeys: secretKeys, threads: threadCount))
            }
        }
        let (secretKeys, serverKey) = keys
        var generator = SystemRandomNumberGenerator()
        let encoding = try MessageEncoding(bits: bits)
        let table = try PBSTable(inputBits: bits) { _ in Int.random(in: 0..<encoding.messageCount, using: &generator) }
        let testPolynomial = try serverKey.testPolynomial(for: table)
        let messages = (0..<trials).map { _ in Int.random(in: 0..<encoding.messageCount, using: &generator) }
        let ciphertexts = try secretKeys.encrypt(messages, encoding: encoding)
        let (outputs, batchMilliseconds) = try measure {
            try serverKey.applyLookupTable(ciphertexts, testPolynomial, threads: threadCount)
        }
        let errors = try zip(messages, outputs).filter { message, output in
            try secretKeys.decrypt(output, encoding: encoding) != table[message]
        }.count

        let report = Report(
            bits: bits, trials: trials, errors: errors, threads: threadCount, params: parameters,
            keygenMs: keygenMilliseconds, msPerPbs: batchMilliseconds / Double(trials),
            bootstrapKeyBytes: serverKey.bootstrapKeyBytes, keyswitchKeyBytes: serverKey.keyswitchKeyBytes)
        if json {
            try printJSON(report)
        } else {
            print(report.summary)
        }
        if errors > 0 { throw ExitCode(1) }
    }

    struct Report: Encodable {
        let bits, trials, errors, threads: Int
        let params: ParameterSet
        let keygenMs, msPerPbs: Double
        let bootstrapKeyBytes, keyswitchKeyBytes: Int

        enum CodingKeys: String, CodingKey {
            case bits, trials, errors, threads, params
            case keygenMs = "keygen_ms", msPerPbs = "ms_per_pbs"
            case bootstrapKeyBytes = "bootstrap_key_bytes", keyswitchKeyBytes = "keyswitch_key_bytes"
        }

        var summary: String {
            """
            parameters:        \(params)
            keygen:            \(milliseconds(keygenMs)) (\(threads) thread\(threads == 1 ? "" : "s"))
            bootstrapping key: \(mebibytes(bootstrapKeyBytes)) (Fourier form)
            keyswitching key:  \(mebibytes(keyswitchKeyBytes))
            KS + PBS:          \(milliseconds(msPerPbs)) each, \(trials) in one batch
            wrong results:     \(errors) of \(trials) (\(bits)-bit random table)
            """
        }
    }
}
