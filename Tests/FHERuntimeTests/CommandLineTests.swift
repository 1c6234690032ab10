import Foundation
import Testing

/// `fhec` refuses out-of-range numbers with a message that names the option (exit status 64),
/// negative numbers included, instead of aborting or running without bound.
@Suite("fhec arguments")
struct CommandLineTests {
    /// The fhec binary built beside the test bundle.
    static let fhec = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fhec")

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process(), pipe = Pipe()
        process.executableURL = fhec
        process.arguments = arguments
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("out-of-range options are refused by name", arguments: [
        ("pbs --threads 100000", "--threads must be in 1…4096, got 100000"),
        ("pbs --threads -2", "--threads must be in 1…4096, got -2"),
        ("pbs --trials 100000000", "--trials must be in 1…65536, got 100000000"),
        ("pbs --trials -1", "--trials must be in 1…65536, got -1"),
        ("check-params --samples 1000000", "--samples must be in 2…65536"),
        ("params --bits 4 --norm2 0", "--norm2 must be in 1.0…1048576.0, got 0.0"),
        ("check-params --norm2 0", "--norm2 must be in 1.0…1048576.0, got 0.0"),
        ("check-params --n 1 --k 1 --N 1024 --pbs-base-log 23 --pbs-levels 1 --ks-base-log 3 --ks-levels 5",
         "lweDimension (n) = 1: expected at least 144"),
    ])
    func refused(_ command: String, _ message: String) throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.fhec.path), "build fhec with the tests (swift build --build-tests)")
        let (status, output) = try Self.run(command.split(separator: " ").map(String.init))
        #expect(status != 0 && status < 128, "fhec \(command) exited with \(status)")   // an error, not a signal
        #expect(output.contains(message), "fhec \(command) printed: \(output)")
    }
}
