import FHECompiler
@testable import FHEDeployment
import FHERuntime
import Foundation
import Testing

/// Client keys at rest: saved to a file only their owner can read, read back from any buffer.
@Suite("Client keys at rest")
struct SecretKeyTests {
    @Test("save(to:) writes mode 0600, also over an existing world-readable file, and the keys still decrypt")
    func privateFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swift-fhe-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("client-keys.fhe")
        try Data("old".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
        let keys = try Forger.client.keys
        try keys.save(to: url)
        let permissions = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let loaded = try ClientKeys(serialized: Data(contentsOf: url))
        let client = Client(specs: Forger.client.specs, keys: loaded)
        let server = try Server(artifact: ServerArtifact(serialized: Forger.artifactBytes(
            Forger.program([([], true, Forger.uint4)], [.negate(1, 0)]).0, types: [Forger.uint4, Forger.uint4])))
        #expect(try client.decrypt(server.run(client.encrypt(2), evaluationKeys: Forger.client.evaluationKeys)) == 14)
    }

    @Test("keys are read in place from a slice of a larger buffer, and serialize to the same bytes")
    func inPlaceDecoding() throws {
        let bytes = try Forger.client.keys.serialized()
        let padded = Data([1, 2, 3]) + bytes + Data([4])
        let slice = padded[padded.startIndex + 3 ..< padded.endIndex - 1]
        #expect(try ClientKeys(serialized: slice).serialized() == bytes)
        #expect(throws: DeserializationError.self) { try ClientKeys(serialized: bytes.dropLast()) }
        #expect(throws: DeserializationError.self) { try ClientKeys(serialized: bytes + [0]) }
    }
}
