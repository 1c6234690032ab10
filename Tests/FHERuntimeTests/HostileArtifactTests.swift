@testable import FHECompiler
import FHEParameters
@testable import FHEDeployment
import FHERuntime
import Foundation
import Testing

/// Server artifacts forged by a hostile client (valid headers and fingerprints, so that they
/// reach validation and the runtime): each is refused with an error, or runs exactly; none
/// crashes the server, hangs it or makes it allocate past its budget.
@Suite("Hostile server artifacts")
struct HostileArtifactTests {
    typealias R = (shape: [Int], encrypted: Bool, type: IntegerType?)
    static let scalar: R = ([], false, Forger.uint4), result: R = ([], true, Forger.uint4)

    static func constant(_ register: Int, _ value: Int64) -> Program.Instruction {
        .clear(register, .constant(Tensor(int64: [value], shape: [])), [])
    }

    @Test("x − Int64.min (a clear constant) runs exactly modulo the encoding")
    func subtractMinimum() throws {
        let (program, types) = Forger.program([Self.scalar, Self.result], [Self.constant(1, .min), .subtract(2, 0, 1)])
        #expect(try Forger.run(program, types: types, x: 5) == 5)   // Int64.min ≡ 0 mod 2^5
        #expect(try Forger.simulate(program, types: types, x: 5) == 5)
    }

    @Test("clear Int64.max % −2 is exact (−1, numpy's sign of the divisor)")
    func remainderAtTheLimit() throws {
        let (program, types) = Forger.program([Self.scalar, Self.scalar, Self.scalar, Self.result],
                                              [Self.constant(1, .max), Self.constant(2, -2),
                                               .clear(3, .binary(.remainder), [1, 2]), .add(4, 0, 3)])
        #expect(try Forger.run(program, types: types, x: 5) == 4)
        #expect(try Forger.simulate(program, types: types, x: 5) == 4)
    }

    @Test("clear Int64.min // −1 and round_bit_pattern(Int64.max) are refused at run time, not a trap",
          arguments: [BinaryOperation.floorDivide, nil])
    func overflowsThrow(_ division: BinaryOperation?) throws {
        let overflowing: [Program.Instruction] = division.map {
            [Self.constant(1, .min), Self.constant(2, -1), .clear(3, .binary($0), [1, 2])]
        } ?? [Self.constant(1, .max), Self.constant(2, 0), .clear(3, .roundBitPattern(lsbsToRemove: 3), [1])]
        let (program, types) = Forger.program([Self.scalar, Self.scalar, Self.scalar, Self.result], overflowing + [.add(4, 0, 3)])
        #expect(throws: EvaluationError.self) { try Forger.run(program, types: types, x: 5) }
        #expect(throws: EvaluationError.self) { try Forger.simulate(program, types: types, x: 5) }
    }

    @Test("[1] + [0] broadcasts to [0] as in numpy: a result register of shape [1] is refused")
    func zeroSizeBroadcast() throws {
        let empty = Program.Instruction.clear(1, .constant(Tensor(int64: [], shape: [0])), [])
        let (program, types) = Forger.program([([0], false, Forger.uint4), ([1], true, Forger.uint4)], [empty, .add(2, 0, 1)],
                                              argumentShape: [1])
        let error = #expect(throws: DeserializationError.self) {
            try ServerArtifact(serialized: Forger.artifactBytes(program, types: types))
        }
        #expect(error?.description.contains("gives shape [0], not [1]") == true)
    }

    @Test("a lookup table with values outside its result type is refused")
    func outOfTypeTable() throws {
        let table = (0..<16).map { $0 == 7 ? 100 : Int64($0) }
        let (program, types) = Forger.program([Self.result], [.lookup(1, 0, table: table)])
        let error = #expect(throws: DeserializationError.self) { try ServerArtifact(serialized: Forger.artifactBytes(program, types: types)) }
        #expect(error?.description.contains("outside its result type uint4") == true)
        // The same table within the type runs.
        let valid = Forger.program([Self.result], [.lookup(1, 0, table: (0..<16).map { Int64(15 - $0) })])
        #expect(try Forger.run(valid.0, types: valid.1, x: 3) == 12)
    }

    /// An encrypted scalar plus a clear [512, 1] + [1, 512] broadcast: 8.7 KB of artifact for
    /// 262144 encrypted elements (4.3 GB of ciphertexts, as much again to add the clear values).
    static let broadcastBomb: (Program, [IntegerType?]) = {
        let column = Tensor(int64: [Int64](repeating: 0, count: 512), shape: [512, 1])
        let row = Tensor(int64: [Int64](repeating: 0, count: 512), shape: [1, 512])
        return Forger.program([([512, 1], false, Forger.uint4), ([1, 512], false, Forger.uint4),
                               ([512, 512], false, Forger.uint4), ([512, 512], true, Forger.uint4)],
                              [.clear(1, .constant(column), []), .clear(2, .constant(row), []),
                               .clear(3, .binary(.add), [1, 2]), .add(4, 0, 3)])
    }()

    @Test("a tiny artifact that needs gigabytes is refused when the server is made, saying how much")
    func memoryBudget() throws {
        let (program, types) = Self.broadcastBomb
        let bytes = try Forger.artifactBytes(program, types: types)
        #expect(bytes.count < 16_000)
        let artifact = try ServerArtifact(serialized: bytes)
        let error = #expect(throws: RuntimeError.self) { try Server(artifact: artifact) }
        guard case let .overBudget(message)? = error else { Issue.record("expected overBudget, got \(String(describing: error))"); return }
        #expect(message.contains("8.6 GB") && message.contains("ServerBudget.maximumMemoryBytes"))
        // An operator may raise the budget (nothing is allocated by making the server).
        #expect(throws: Never.self) { try Server(artifact: artifact, budget: ServerBudget(maximumMemoryBytes: 16 << 30)) }
        // And lower it: the forged scalar program of 3 registers fits 200 MB (keys 117 MB), not 100 MB.
        let small = try ServerArtifact(serialized: Forger.artifactBytes(Forger.program([Self.result], [.negate(1, 0)]).0,
                                                                         types: [Forger.uint4, Forger.uint4]))
        #expect(throws: Never.self) { try Server(artifact: small, budget: ServerBudget(maximumMemoryBytes: 200_000_000)) }
        #expect(throws: RuntimeError.self) { try Server(artifact: small, budget: ServerBudget(maximumMemoryBytes: 100_000_000)) }
    }

    @Test("a chain of negations keeps three registers alive, not all of them, and runs")
    func registersFreedAfterLastUse() throws {
        let length = 2000
        let registers = [R](repeating: ([64], true, Forger.uint4), count: length)
        let instructions = (1...length).map { Program.Instruction.negate($0, $0 - 1) }
        let (program, types) = Forger.program(registers, instructions, argumentShape: [64])
        let estimate = ResourceEstimate(program: program, registerTypes: types, parameters: .concrete4Bit)
        let register = 64.0 * Double(8 * (ParameterSet.concrete4Bit.bigLWEDimension + 1) + 32)
        #expect(estimate.peakRegisterBytes <= 3 * register)
        let released = program.releasedRegisters()
        #expect(released[5] == [4] && released.last == [length - 1])
        // A short chain through the runner: every register freed after its read, the result intact.
        let short = Forger.program([Self.result, Self.result, Self.result], [.negate(1, 0), .negate(2, 1), .negate(3, 2)])
        #expect(try Forger.run(short.0, types: short.1, x: 3) == Tensor(Int(Forger.uint4.wrapping(-3))))
    }

    @Test("the work of a run is bounded too")
    func workBudget() throws {
        let (program, types) = Self.broadcastBomb
        let artifact = try ServerArtifact(serialized: Forger.artifactBytes(program, types: types))
        let error = #expect(throws: RuntimeError.self) {
            try Server(artifact: artifact, budget: ServerBudget(maximumMemoryBytes: .max, maximumWordOperations: 1e8))
        }
        #expect(error?.description.contains("word operations") == true)
        // A clear product counts every (output, inner) pair: 8 × 64 outputs of 4096-term sums here.
        let rows = Tensor(int64: [Int64](repeating: 1, count: 8 * 4096), shape: [8, 4096])
        let matrix = Tensor(int64: [Int64](repeating: 0, count: 4096 * 64), shape: [4096, 64])
        let (product, productTypes) = Forger.program([([8, 4096], false, Forger.uint4), ([8, 64], false, Forger.uint4),
                                                      ([8, 64], true, Forger.uint4)],
                                                     [.clear(1, .constant(rows), []), .clear(2, .matmul(matrix), [1]), .add(3, 0, 2)])
        let estimate = ResourceEstimate(program: product, registerTypes: productTypes, parameters: .concrete4Bit)
        #expect(estimate.wordOperations >= 8 * 64 * 4096)
    }

    @Test("evaluation keys of another circuit are refused before their bodies are read")
    func keysCheckedBeforeExpansion() throws {
        let server = try Server(artifact: ServerArtifact(serialized: Forger.artifactBytes(
            Forger.program([Self.result], [.negate(1, 0)]).0, types: [Forger.uint4, Forger.uint4])))
        let other = Client(specs: Forger.specs(parameters: .tfheRS2_2))
        try other.keygen(seed: 2)
        let keys = try other.evaluationKeys.serialized()
        for data in [keys, keys.prefix(BinaryFormat.headerByteCount + ParameterSet.serializedByteCount + 100)] {
            let error = #expect(throws: RuntimeError.self) { try server.evaluationKeys(serialized: data) }
            #expect(error?.description.contains("another circuit or parameter set") == true)
        }
        // The right keys load and run.
        let keysOfThisCircuit = try server.evaluationKeys(serialized: Forger.client.evaluationKeys.serialized())
        #expect(try Forger.client.decrypt(server.run(Forger.client.encrypt(6), evaluationKeys: keysOfThisCircuit)) == 10)
    }
}
