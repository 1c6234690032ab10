// libFuzzer entry point: the first byte picks a decoder, the rest is its input. Every decoder
// must throw `DeserializationError` on bad input (or, for a server artifact that decodes,
// `RuntimeError.overBudget`); a crash, a hang or a huge allocation is a bug that libFuzzer
// reports with the input that caused it.
import FHE
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoders(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let data = Data(bytes: bytes + 1, count: count - 1)
    do {
        switch bytes[0] % 8 {
        case 0: _ = try ClientSpecs(serialized: data)
        case 1: _ = try EncryptedArguments(serialized: data)
        case 2: _ = try EncryptedResult(serialized: data)
        case 3: _ = try Server(artifact: ServerArtifact(serialized: data))
        case 4: _ = try ClientKeys(serialized: data)
        case 5: _ = try EvaluationKeys(serialized: data)
        // The input is a body whose fingerprints the harness recomputes, as a forger would, so
        // that mutations get past them to validation: specs, and a program behind fixed specs.
        case 6: _ = try ClientSpecs(serialized: Sealed.specs(body: data))
        default: try simulateSmall(ServerArtifact(serialized: Sealed.artifact(program: data)))
        }
    } catch is DeserializationError {
        // Rejected, as it should be.
    } catch let error as RuntimeError {
        // A decoded artifact over the server's budget is refused as such; nothing else may be.
        guard case .overBudget = error else { fatalError("a decoder threw \(error)") }
    } catch {
        fatalError("a decoder threw \(type(of: error)) instead of DeserializationError: \(error)")
    }
    return 0
}

/// Runs a decoded artifact in the clear on zero arguments when it is small, so that forged
/// programs reach the checked clear semantics and the evaluator. Failures of a clear operation
/// (`CompilationError`) are refusals too.
func simulateSmall(_ artifact: ServerArtifact) throws {
    let server = try Server(artifact: artifact)
    guard server.resources.peakRegisterBytes < Double(64 << 20), server.resources.wordOperations < 1e9 else { return }
    let zeros = artifact.clientSpecs.arguments.map { Tensor(int64: [Int64](repeating: 0, count: Tensor.elementCount(of: $0.shape)), shape: $0.shape) }
    do {
        _ = try artifact.simulate(arguments: zeros)
    } catch is CompilationError {
        // A clear operation refused (an overflow, a division by zero): as it should be.
    }
}

/// Objects rebuilt around a fuzzed body with correct fingerprints (the layout of `BinaryFormat`:
/// magic, version, kind, specs fingerprint, key identifier, then the body).
enum Sealed {
    static let headerByteCount = 23

    /// FNV-1a, 64 bits: the format's fingerprint, recomputed as an attacker would.
    static func fingerprint(_ bytes: some Sequence<UInt8>) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }

    static func header(kind: UInt8, fingerprint: UInt64) -> Data {
        var header = Data("SFHE".utf8) + [1, 0, kind]
        withUnsafeBytes(of: fingerprint.littleEndian) { header.append(contentsOf: $0) }
        return header + Data(count: 8)
    }

    /// Specs whose header carries the fingerprint of `body`.
    static func specs(body: Data) -> Data { header(kind: 1, fingerprint: fingerprint(body)) + body }

    /// The specs every sealed program is paired with: those of the first seed circuit.
    static let fixedSpecs: Data = try! seedCircuits()[0].clientSpecs.serialized()

    /// A server artifact of the fixed specs and `program`, with both fingerprints right.
    static func artifact(program: Data) -> Data {
        var programFingerprint = Data()
        withUnsafeBytes(of: fingerprint(program).littleEndian) { programFingerprint.append(contentsOf: $0) }
        let specsFingerprint = fixedSpecs.subdata(in: 7..<15)
        return Data("SFHE".utf8) + [1, 0, 6] + specsFingerprint + Data(count: 8) + fixedSpecs + programFingerprint + program
    }
}

/// Three circuits: a scalar lookup with a clear argument, a tensor with a dot product and a
/// rounding, a concatenation of two lookups.
func seedCircuits() throws -> [Circuit] {
    [
        try Compiler(["x": .encrypted, "y": .clear]) { ($0[0] * $0[0] + $0[1]) % 13 }.compile(inputset: [[3, 1], [7, 2], [0, 0]]),
        try Compiler(["v": .encrypted]) { args in relu(roundBitPattern(args[0].dot(Tensor([3, -2, 5, 1], shape: [4])), lsbsToRemove: 2)) }
            .compile(inputset: (0..<8).map { [Tensor([$0, 7 - $0, $0 % 3, 5], shape: [4])] }),
        try Compiler(["x": .encrypted, "v": .encrypted]) { args in concatenate([(args[0] % 3).reshaped([1]), args[1] ^ 5]) }
            .compile(inputset: (0..<8).map { [Tensor($0), Tensor([$0, 7 - $0], shape: [2])] }),
    ]
}

/// Valid objects of every kind from `seedCircuits()`, each behind its decoder's selector byte:
/// their specs, server artifacts, arguments, results and client keys, the head of their
/// evaluation keys (the whole keys are megabytes), and the bodies of specs and programs for the
/// sealed selectors.
func writeSeeds(to folder: URL) throws {
    let circuits = try seedCircuits()
    let arguments: [[Tensor]] = [[5, 2], [Tensor([1, 6, 2, 5], shape: [4])], [4, Tensor([3, 6], shape: [2])]]
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (index, circuit) in circuits.enumerated() {
        try circuit.keygen(seed: UInt64(index))
        let encrypted = try circuit.encrypt(arguments: arguments[index])
        let objects: [(String, UInt8, Data)] = [
            ("specs", 0, circuit.clientSpecs.serialized()), ("arguments", 1, encrypted.serialized()),
            ("result", 2, try circuit.run(encrypted).serialized()), ("server", 3, try circuit.server.serialized()),
            ("client-keys", 4, try circuit.keys.serialized()), ("evaluation-keys", 5, try circuit.evaluationKeys.serialized().prefix(4096)),
            ("specs-body", 6, circuit.clientSpecs.serialized().dropFirst(Sealed.headerByteCount)),
            // The program: what follows the artifact's header, specs and program fingerprint.
            ("program", 7, try circuit.server.serialized().dropFirst(Sealed.headerByteCount + circuit.clientSpecs.serialized().count + 8)),
        ]
        for (name, selector, data) in objects {
            try (Data([selector]) + data).write(to: folder.appendingPathComponent("seed-\(index)-\(name)"))
        }
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzer(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// The program's entry point (SwiftPM links an executable's `main` to `<target>_main`): libFuzzer's
/// driver, or `--write-seeds FOLDER` to write the seed corpus and exit.
@_cdecl("FuzzDecoders_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    if argc == 3, let flag = argv?[1], String(cString: flag) == "--write-seeds", let folder = argv?[2] {
        do {
            try writeSeeds(to: URL(fileURLWithPath: String(cString: folder)))
            return 0
        } catch {
            print("cannot write the seeds: \(error)")
            return 1
        }
    }
    var count = argc, arguments = argv
    return runFuzzer(&count, &arguments) { fuzzDecoders($0, $1) }
}
