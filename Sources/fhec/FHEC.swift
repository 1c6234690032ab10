import ArgumentParser

/// `fhec`: the command-line tool of swift-fhe.
@main
struct FHEC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhec",
        abstract: "Compile and run programs on encrypted data with TFHE.",
        subcommands: [Demo.self, ServeFile.self, PBS.self, Params.self, CheckParams.self],
        defaultSubcommand: Demo.self)
}
