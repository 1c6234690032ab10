import ArgumentParser
import FHE
import Foundation

/// `fhec serve-file`: the server side of a deployed circuit, one run through files. It reads a
/// server artifact, the client's evaluation keys and encrypted arguments, and writes the
/// encrypted result; it never sees a secret key.
struct ServeFile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-file",
        abstract: "Run a saved circuit on encrypted arguments from files (the server side).")

    @Option(help: "The server artifact (circuit.server.save(to:)).")
    var server: String
    @Option(help: "The client's evaluation keys (EvaluationKeys.serialized()).")
    var keys: String
    @Option(help: "The encrypted arguments (EncryptedArguments.serialized()).")
    var arguments: String
    @Option(help: "Where to write the encrypted result (EncryptedResult.serialized()).")
    var result: String
    @OptionGroup var threadOption: ThreadOption

    func run() throws {
        let loaded = try Server.load(from: URL(fileURLWithPath: server))
        let evaluationKeys = try loaded.evaluationKeys(serialized: try Data(contentsOf: URL(fileURLWithPath: keys)))
        let encrypted = try EncryptedArguments(serialized: try Data(contentsOf: URL(fileURLWithPath: arguments)))
        let (output, runTime) = try measure {
            try loaded.run(encrypted, evaluationKeys: evaluationKeys, threads: threadOption.threads)
        }
        try output.serialized().write(to: URL(fileURLWithPath: result), options: .atomic)
        print("ran \(loaded.clientSpecs.arguments.count)-argument circuit in \(milliseconds(runTime)); result written to \(result)")
    }
}
