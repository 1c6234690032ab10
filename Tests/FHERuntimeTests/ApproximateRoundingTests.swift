import FHECompiler
import FHERuntime
import Foundation
import Testing

/// `roundBitPattern(_:lsbsToRemove:exactness: .approximate)`: no PBS for the rounding, the lookup
/// after it reads the top bits and sees the value rounded down or up; simulation rounds exactly.
@Suite("Approximate rounding")
struct ApproximateRoundingTests {
    private static let weights: Tensor = [2, -3, 1, 0, -1, 3, -2, 2, 1, -3, 0, 2, -1, 1, 3, -2]

    /// dot16_relu with the rounding approximate, and the dot product of a sample.
    private static func circuit(_ exactness: RoundingExactness) throws -> (Circuit, [[Tensor]]) {
        let compiler = Compiler(["x": .encrypted]) { relu(roundBitPattern($0[0].dot(weights), lsbsToRemove: 5, exactness: exactness)) / 32 }
        let extremes = [Tensor(weights.elements.map { $0 > 0 ? 15 : 0 }, shape: [16]),
                        Tensor(weights.elements.map { $0 < 0 ? 15 : 0 }, shape: [16])]
        let inputset = extremes.map { [$0] } + (0..<30).map { i in [Tensor((0..<16).map { ($0 * 7 + i * 5 + $0 * i) % 16 }, shape: [16])] }
        return (try compiler.compile(inputset: inputset), inputset)
    }

    private static func dot(_ sample: [Tensor]) -> Int { zip(sample[0].elements, weights.elements).map { Int($0 * $1) }.reduce(0, +) }

    @Test("dot16_relu: one PBS instead of three; FHE gives relu of the dot rounded down or up, simulate the exact rounding")
    func dotRelu() throws {
        let (circuit, inputset) = try Self.circuit(.approximate)
        let exact = try Self.circuit(.exact).0
        #expect(circuit.statistics.programmableBootstrapCount == 1)
        #expect(exact.statistics.programmableBootstrapCount == 3)
        // 225 may read as 256: the rounded type holds both neighbours, one bit more than exact's.
        #expect(circuit.statistics.maxBitWidth == 5 && exact.statistics.maxBitWidth == 4)
        #expect(circuit.graph.contains("exactness=approximate"))
        try circuit.keygen()
        for sample in inputset.prefix(12) {
            let dot = Self.dot(sample)
            let down = max((dot >> 5) << 5, 0) / 32, up = max(((dot + 31) >> 5) << 5, 0) / 32
            #expect(try circuit.simulate(arguments: sample) == exact.simulate(arguments: sample), "simulate \(sample)")
            let result = try circuit.encryptRunDecrypt(arguments: sample).elements[0]
            #expect(result == Int64(down) || result == Int64(up), "FHE: dot \(dot) gave \(result), not \(down) or \(up)")
        }
    }

    @Test("signed tensors at every split: each element rounded down or up", arguments: [1, 3])
    func signedTensor(lsbs: Int) throws {
        let compiler = Compiler(["x": .encrypted, "y": .encrypted]) { args in
            (roundBitPattern(args[0] - args[1] * 4, lsbsToRemove: lsbs, exactness: .approximate)).apply { $0 + 64 }
        }
        let inputset = (0..<16).map { i in [Tensor([i, 15 - i, (i * 5) % 16], shape: [3]), Tensor([15 - i, i, (i * 3) % 16], shape: [3])] }
        let circuit = try compiler.compile(inputset: inputset)
        #expect(circuit.statistics.programmableBootstrapCount == 3)
        try circuit.keygen()
        for sample in [inputset[0], inputset[6], inputset[15]] {
            let result = try circuit.encryptRunDecrypt(arguments: sample).elements
            for (e, value) in zip(sample[0].elements, sample[1].elements).map({ $0 - 4 * $1 }).enumerated() {
                let down = (value >> lsbs) << lsbs, up = ((value + (1 << lsbs) - 1) >> lsbs) << lsbs
                #expect(result[e] == down + 64 || result[e] == up + 64, "element \(e): \(value) gave \(result[e] - 64)")
            }
        }
    }

    @Test("a rounding that something other than a lookup reads is exact")
    func readByArithmetic() throws {
        func pbs(_ exactness: RoundingExactness) throws -> Int {
            try Compiler(["x": .encrypted]) { (roundBitPattern($0[0] * 3, lsbsToRemove: 3, exactness: exactness) * 2).apply { $0 / 8 } }
                .compile(inputset: (0..<32).map { [Tensor($0)] }).statistics.programmableBootstrapCount
        }
        #expect(try pbs(.approximate) == pbs(.exact))
        #expect(try pbs(.exact) > 1)
    }

    @Test("a program where an approximate rounding feeds arithmetic is invalid")
    func invalidProgram() throws {
        let registers = [Program.Register(shape: [], isEncrypted: true), Program.Register(shape: [], isEncrypted: true),
                         Program.Register(shape: [], isEncrypted: true)]
        let uint6 = IntegerType(isSigned: false, width: 6)
        let program = Program(registers: registers, instructions: [
            .argument(0, index: 0), .round(1, 0, lsbsToRemove: 3, bitsPerStep: RoundingStep.approximate), .add(2, 1, 0),
        ], arguments: [0], result: 2)
        #expect(throws: InvalidProgram.self) { try program.validate(registerTypes: [uint6, uint6, uint6]) }
    }
}
