import FHEDeployment
import FHEParameters
import Foundation
import Testing

/// A client and a server of a deployment, with no compiler in this target's dependencies: a
/// program written by hand runs from its artifact's bytes in FHE, and agrees with the artifact's
/// own simulation.
@Suite("A deployment without the compiler")
struct ServerWithoutCompilerTests {
    static let uint4 = IntegerType(isSigned: false, width: 4)

    /// (x + 3)² mod 13 for an encrypted uint4 x ≤ 12: a levelled addition of a clear constant,
    /// then one lookup.
    static func artifact() throws -> Data {
        let table = (0..<16).map { Int64(($0 * $0) % 13) }
        let program = Program(
            registers: [.init(shape: [], isEncrypted: true), .init(shape: [], isEncrypted: false),
                        .init(shape: [], isEncrypted: true), .init(shape: [], isEncrypted: true)],
            instructions: [.argument(0, index: 0), .constant(1, Tensor(3)), .add(2, 0, 1), .lookup(3, 2, table: table)],
            arguments: [0], result: 3)
        let value = ClientSpecs.Value(shape: [], isEncrypted: true, type: uint4)
        let specs = ClientSpecs(parameters: .concrete4Bit, arguments: [value], result: value, circuitFingerprint: 7)
        return ServerArtifact(program: program, registerTypes: [uint4, uint4, uint4, uint4], clientSpecs: specs).serialized()
    }

    @Test("the server runs a hand-written artifact; the client decrypts what simulate gives")
    func runsWithoutCompiler() throws {
        let artifact = try ServerArtifact(serialized: try Self.artifact())
        let server = try Server(artifact: artifact)
        let client = Client(specs: try ClientSpecs(serialized: server.clientSpecs.serialized()))
        try client.keygen(seed: 5)   // seeded: a test, not secure
        let keys = try server.evaluationKeys(serialized: client.evaluationKeys.serialized())
        for x in [0, 4, 9, 12] {
            let output = try server.run(try client.encrypt(Tensor(x)), evaluationKeys: keys)
            let expected = Tensor(((x + 3) * (x + 3)) % 13)
            #expect(try client.decrypt(output) == expected, "x = \(x)")
            #expect(try artifact.simulate(arguments: [Tensor(x)]) == expected, "x = \(x)")
        }
    }
}
