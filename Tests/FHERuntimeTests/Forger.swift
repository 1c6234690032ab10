@testable import FHECompiler
import FHEParameters
@testable import FHEDeployment
import FHERuntime
import Foundation
import TFHE

/// Hostile objects for the tests: server artifacts, specs, keys and results made through the
/// project's own writers, with valid headers and fingerprints, so that they get past every check
/// of the format and reach validation, the runtime or the client.
enum Forger {
    static let uint4 = IntegerType(isSigned: false, width: 4)

    /// The specs of a program with one encrypted uint4 scalar argument and an encrypted uint4
    /// scalar result (shape `resultShape`), under `parameters`.
    static func specs(parameters: ParameterSet = .concrete4Bit, argumentShape: [Int] = [], resultShape: [Int] = [],
                      circuit: UInt64 = 0) -> ClientSpecs {
        ClientSpecs(parameters: parameters, arguments: [.init(shape: argumentShape, isEncrypted: true, type: uint4)],
                    result: .init(shape: resultShape, isEncrypted: true, type: uint4), circuitFingerprint: circuit)
    }

    /// Specs as a server would send them: through their own writer and reader.
    static func sentSpecs(parameters: ParameterSet) throws -> ClientSpecs {
        try ClientSpecs(serialized: specs(parameters: parameters).serialized())
    }

    /// A program of one encrypted uint4 argument (register 0, of `argumentShape`) whose other
    /// registers and instructions follow; the last register is the result.
    static func program(_ registers: [(shape: [Int], encrypted: Bool, type: IntegerType?)],
                        _ instructions: [Program.Instruction], argumentShape: [Int] = []) -> (Program, [IntegerType?]) {
        let all = [(shape: argumentShape, encrypted: true, type: Optional(uint4))] + registers
        let program = Program(registers: all.map { Program.Register(shape: $0.shape, isEncrypted: $0.encrypted) },
                              instructions: [.argument(0, index: 0)] + instructions, arguments: [0], result: all.count - 1)
        return (program, all.map(\.type))
    }

    /// The server artifact's bytes for a program (not validated: that is the reader's job).
    static func artifactBytes(_ program: Program, types: [IntegerType?], parameters: ParameterSet = .concrete4Bit) throws -> Data {
        let resultShape = program.registers[program.result].shape, argumentShape = program.registers[0].shape
        return ServerArtifact(program: program, registerTypes: types,
                                  clientSpecs: specs(parameters: parameters, argumentShape: argumentShape, resultShape: resultShape))
            .serialized()
    }

    /// The forged program run in the clear by the server artifact (the virtual library).
    static func simulate(_ program: Program, types: [IntegerType?], x: Int) throws -> Tensor {
        try ServerArtifact(serialized: artifactBytes(program, types: types)).simulate(arguments: [Tensor(x)])
    }

    /// A client with keys for `specs()` (seeded: tests only).
    static let client: Client = {
        let client = Client(specs: specs())
        try! client.keygen(seed: 11)
        return client
    }()

    /// Runs a forged program of scalar uint4 → scalar uint4 through a server (artifact read back
    /// from its bytes) on x = `x`, and decrypts.
    static func run(_ program: Program, types: [IntegerType?], x: Int) throws -> Tensor {
        let server = try Server(artifact: ServerArtifact(serialized: artifactBytes(program, types: types)))
        let output = try server.run(client.encrypt(Tensor(x)), evaluationKeys: client.evaluationKeys)
        return try client.decrypt(output)
    }
}
