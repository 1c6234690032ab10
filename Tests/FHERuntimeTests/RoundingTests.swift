import FHECompiler
import FHERuntime
import Foundation
import Testing

/// `roundBitPattern` in FHE: the rounding clears low bits with PBS steps (`RoundingStep`) and
/// the lookup after it reads the narrowed value. FHE equals simulate equals Swift.
@Suite("Rounding in FHE")
struct RoundingTests {
    /// round half up to a multiple of 2^bits, as the traced operation defines it.
    private static func rounded(_ x: Int, _ bits: Int) -> Int { ((x + (1 << (bits - 1))) >> bits) << bits }

    private func check(_ circuit: Circuit, _ samples: [[Tensor]], _ direct: ([Tensor]) -> Tensor) throws {
        try circuit.keygen()
        for sample in samples {
            #expect(try circuit.simulate(arguments: sample) == direct(sample), "simulate \(sample)")
            #expect(try circuit.encryptRunDecrypt(arguments: sample) == direct(sample), "FHE \(sample)")
        }
    }

    @Test("dot16_relu: a 9-bit dot product rounded by 5 bits feeds a 4-bit lookup, 3 PBS in all")
    func dotRelu() throws {
        let weights: Tensor = [2, -3, 1, 0, -1, 3, -2, 2, 1, -3, 0, 2, -1, 1, 3, -2]
        let compiler = Compiler(["x": .encrypted]) { relu(roundBitPattern($0[0].dot(weights), lsbsToRemove: 5)) / 32 }
        let extremes = [Tensor(weights.elements.map { $0 > 0 ? 15 : 0 }, shape: [16]),
                        Tensor(weights.elements.map { $0 < 0 ? 15 : 0 }, shape: [16])]
        let inputset = extremes.map { [$0] } + (0..<30).map { i in [Tensor((0..<16).map { ($0 * 7 + i * 5 + $0 * i) % 16 }, shape: [16])] }
        let circuit = try compiler.compile(inputset: inputset)
        #expect(circuit.statistics.programmableBootstrapCount == 3)   // one rounding step of 2 PBS, the lookup
        #expect(circuit.statistics.maxBitWidth == 4)   // dot ∈ [−180, 225]: int9, 4 bits after rounding
        try check(circuit, Array(inputset.prefix(5))) { sample in
            let dot = zip(sample[0].elements, weights.elements).map { Int($0 * $1) }.reduce(0, +)
            return Tensor(max(Self.rounded(dot, 5), 0) / 32)
        }
    }

    @Test("every split of the low bits into steps, signed values and tensors", arguments: [1, 2, 3, 5])
    func steps(lsbs: Int) throws {
        // A 7-bit signed value; the lookup after the rounding is (7 − lsbs) bits wide, so the
        // steps clear up to 8 − lsbs bits each: one step or several, and one-bit steps.
        let compiler = Compiler(["x": .encrypted, "y": .encrypted]) { args in
            let r = roundBitPattern(args[0] - args[1] * 4, lsbsToRemove: lsbs)
            return concatenate([r, (r * r).apply { $0 % 7 }])
        }
        let inputset = (0..<16).map { i in [Tensor([i, 15 - i, (i * 5) % 16], shape: [3]), Tensor([15 - i, i, (i * 3) % 16], shape: [3])] }
        let circuit = try compiler.compile(inputset: inputset)
        try check(circuit, [inputset[0], inputset[7], inputset[15]]) { sample in
            let r = zip(sample[0].elements, sample[1].elements).map { Self.rounded(Int($0 - 4 * $1), lsbs) }
            return Tensor(r + r.map { ($0 * $0) % 7 }, shape: [6])
        }
    }

    @Test("a rounding goes through the server artifact and runs on a server with the client's keys")
    func deployed() throws {
        let compiler = Compiler(["x": .encrypted]) { (roundBitPattern($0[0] * 3, lsbsToRemove: 3) * 2).apply { $0 / 8 } }
        let circuit = try compiler.compile(inputset: (0..<32).map { [Tensor($0)] })
        let server = try Server(artifact: ServerArtifact(serialized: circuit.server.serialized()))
        let client = Client(specs: server.clientSpecs)
        try client.keygen()
        for x in [0, 5, 13, 31] {
            let output = try server.run(client.encrypt(Tensor(x)), evaluationKeys: client.evaluationKeys)
            #expect(try client.decrypt(output) == Tensor(Self.rounded(3 * x, 3) * 2 / 8), "x = \(x)")
        }
    }

    @Test("a program whose rounding changes the encoding or removes every bit is invalid")
    func invalidRoundings() throws {
        let registers = [Program.Register(shape: [], isEncrypted: true), Program.Register(shape: [], isEncrypted: true)]
        func program(_ lsbs: Int, _ bitsPerStep: Int) -> Program {
            Program(registers: registers, instructions: [.argument(0, index: 0), .round(1, 0, lsbsToRemove: lsbs, bitsPerStep: bitsPerStep)],
                    arguments: [0], result: 1)
        }
        let uint6 = IntegerType(isSigned: false, width: 6)
        try program(3, 2).validate(registerTypes: [uint6, uint6])
        for (lsbs, bitsPerStep, result) in [(3, 2, IntegerType(isSigned: false, width: 3)), (6, 2, uint6), (0, 1, uint6),
                                            (3, 4, uint6), (3, 0, uint6)] {
            #expect(throws: InvalidProgram.self, "\(lsbs) bits, \(bitsPerStep) per step, into \(result)") {
                try program(lsbs, bitsPerStep).validate(registerTypes: [uint6, result])
            }
        }
    }
}
