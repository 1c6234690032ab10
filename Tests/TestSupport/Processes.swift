import Foundation

/// The `fhec` built beside the running tests (or in `.build/release`), for tests that run the
/// server side as a separate process; nil when neither exists.
public func fhecExecutable() -> URL? {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fhec")
    let release = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/release/fhec")
    return [beside, release].first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Runs `fhec serve-file` on the given files in a separate process; returns its exit status.
public func serveFile(fhec: URL, server: URL, keys: URL, arguments: URL, result: URL) throws -> Int32 {
    let process = Process()
    process.executableURL = fhec
    process.arguments = ["serve-file", "--server", server.path, "--keys", keys.path, "--arguments", arguments.path, "--result", result.path]
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
