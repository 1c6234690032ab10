import FHECompiler
import FHERuntime
import Foundation
import Testing
import TestSupport

/// The client/server split: artifacts through files, keys saved and loaded, the server in
/// another process, and every artifact kind rejected when malformed.
@Suite("Deployment")
struct DeploymentTests {
    static var compiler: Compiler { Compiler(["x": .encrypted, "y": .clear]) { args in (args[0] * 3 + args[1]) % 7 } }
    static let inputset: [[Tensor]] = (0..<8).map { [Tensor($0), Tensor($0 % 3)] }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-fhe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// DESIGN.md §5, as written (with the README's inputset, whose lookups stay at 6 bits).
    @Test("the DESIGN.md deployment example runs as written")
    func designExample() throws {
        let compiler = Compiler(["x": .encrypted, "y": .clear]) { args in
            let (x, y) = (args[0], args[1])
            return (x * x + y) % 13
        }
        let circuit = try compiler.compile(inputset: [[3, 1], [7, 2], [0, 0]])
        let folder = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let serverURL = folder.appendingPathComponent("server.fhe")

        try circuit.server.save(to: serverURL)
        let server = try Server.load(from: serverURL)
        let client = Client(specs: try ClientSpecs(serialized: server.clientSpecs.serialized()))
        try client.keygen()
        let keys = try EvaluationKeys(serialized: client.evaluationKeys.serialized())
        let arguments = try EncryptedArguments(serialized: client.encrypt(7, 2).serialized())
        let output = try server.run(arguments, evaluationKeys: keys)
        let y3 = try client.decrypt(try EncryptedResult(serialized: output.serialized()))
        #expect(y3 == 12)

        let saved = try client.keys.serialized()
        let sameClient = Client(specs: client.specs, keys: try ClientKeys(serialized: saved))
        #expect(try sameClient.decrypt(output) == 12)
        #expect(try sameClient.decrypt(server.run(sameClient.encrypt(5, 1), evaluationKeys: keys)) == Tensor((25 + 1) % 13))
        #expect(!String(describing: try client.keys).contains("1, 0"))   // never printed
        // The deployed artifact simulates like the circuit.
        #expect(try server.artifact.simulate(arguments: [7, 2]) == circuit.simulate(7, 2))
    }

    @Test("wire sizes: a fresh uint4 argument under 1 KB, evaluation keys the seeded bodies")
    func wireSizes() throws {
        let circuit = try Compiler(["x": .encrypted]) { ($0[0] * $0[0]) % 13 }.compile(inputset: (0..<16).map { [Tensor($0)] })
        try circuit.keygen(seed: 1)
        let argument = try circuit.encrypt(9).serialized()
        #expect(argument.count < 1024)
        let keys = try circuit.evaluationKeys
        let statistics = circuit.statistics
        #expect(keys.serialized().count == keys.serializedByteCount)
        #expect(keys.serializedByteCount < statistics.bootstrapKeyWireBytes + statistics.keySwitchKeyWireBytes + 128)
        #expect(3 * (statistics.bootstrapKeyWireBytes + statistics.keySwitchKeyWireBytes)
                < statistics.bootstrapKeyBytes + statistics.keySwitchKeyBytes)
    }

    @Test("a Swift function on a clear argument is saved as a table")
    func clearFunctionTabulated() throws {
        let compiler = Compiler(["x": .encrypted, "y": .clear]) { args in
            args[0] + args[1].apply { ($0 * 5 + 1) % 4 }
        }
        let circuit = try compiler.compile(inputset: (0..<8).map { [Tensor($0), Tensor(7 - $0)] })
        let server = try Server(artifact: ServerArtifact(serialized: circuit.server.serialized()))
        try circuit.keygen(seed: 5)
        for (x, y) in [(1, 2), (6, 7), (0, 0)] {
            let result = try server.run(circuit.encrypt(Tensor(x), Tensor(y)), evaluationKeys: circuit.evaluationKeys)
            #expect(try circuit.decrypt(result) == Tensor(x + (y * 5 + 1) % 4))
        }
    }

    @Test("arguments and keys of different clients, or of another circuit, are refused")
    func mismatches() throws {
        let circuit = try Self.compiler.compile(inputset: Self.inputset)
        let server = try Server(artifact: circuit.server)
        let alice = Client(specs: circuit.clientSpecs), bob = Client(specs: circuit.clientSpecs)
        try alice.keygen(seed: 1)
        try bob.keygen(seed: 2)
        #expect(throws: RuntimeError.self) { try server.run(alice.encrypt(1, 1), evaluationKeys: bob.evaluationKeys) }
        let output = try server.run(alice.encrypt(1, 1), evaluationKeys: alice.evaluationKeys)
        #expect(throws: RuntimeError.self) { try bob.decrypt(output) }
        #expect(try alice.decrypt(output) == Tensor(4))

        let other = try Compiler(["x": .encrypted, "y": .clear]) { args in (args[0] * 2 + args[1]) % 5 }.compile(inputset: Self.inputset)
        let stranger = Client(specs: other.clientSpecs)
        try stranger.keygen(seed: 1)
        #expect(throws: RuntimeError.self) { try server.run(stranger.encrypt(1, 1), evaluationKeys: stranger.evaluationKeys) }
        #expect(throws: RuntimeError.self) { try Client(specs: circuit.clientSpecs, keys: stranger.keys).encrypt(1, 1) }
        #expect(throws: RuntimeError.noKeys) { try Client(specs: circuit.clientSpecs).evaluationKeys }
    }

    @Test("the server runs in a separate process (fhec serve-file)")
    func separateProcess() throws {
        let fhec = try #require(fhecExecutable(), "build fhec first (swift build)")

        let circuit = try Self.compiler.compile(inputset: Self.inputset)
        let folder = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = ["server", "keys", "arguments", "result"].map { folder.appendingPathComponent("\($0).fhe") }
        try circuit.server.save(to: files[0])
        let client = Client(specs: circuit.clientSpecs)
        try client.keygen()
        try client.evaluationKeys.serialized().write(to: files[1])
        try client.encrypt(5, 2).serialized().write(to: files[2])

        #expect(try serveFile(fhec: fhec, server: files[0], keys: files[1], arguments: files[2], result: files[3]) == 0)
        #expect(try client.decrypt(EncryptedResult(serialized: Data(contentsOf: files[3]))) == Tensor((5 * 3 + 2) % 7))
    }
}
