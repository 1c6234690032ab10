import FHECompiler
import FHERuntime
import Foundation
import Testing

/// FHE equals simulate equals the clear Swift function, for programs that cover levelled
/// operations, fused float lookups, tensors, two-variable lowerings, signed lookups and clear
/// arguments. Each circuit's failure probability is at most 1e-5 per run (the default target),
/// so with these few runs a spurious failure has probability below 1e-3.
@Suite("Circuits in FHE")
struct CircuitTests {
    private func check(_ compiler: Compiler, inputset: [[Tensor]], samples: [[Tensor]],
                       _ direct: ([Tensor]) -> Tensor) throws {
        let circuit = try compiler.compile(inputset: inputset)
        try circuit.keygen()
        for sample in samples {
            let simulated = try circuit.simulate(arguments: sample)
            #expect(simulated == direct(sample), "simulate \(sample)")
            #expect(try circuit.encryptRunDecrypt(arguments: sample) == simulated, "FHE \(sample)")
        }
    }

    @Test("the DESIGN.md example with a clear argument")
    func designExample() throws {
        let compiler = Compiler(["x": .encrypted, "y": .clear]) { args in (args[0] * args[0] + args[1]) % 13 }
        let inputset = (0...5).flatMap { x in (0...2).map { [Tensor(x), Tensor($0)] } }
        try check(compiler, inputset: inputset, samples: [[5, 2], [3, 0], [0, 1]]) {
            let (x, y) = (Int($0[0].scalar), Int($0[1].scalar))
            return Tensor((x * x + y) % 13)
        }
    }

    @Test("a fused float subgraph on a tensor, then a sum")
    func floatTensor() throws {
        let compiler = Compiler(["x": .encrypted]) { (3 * sin($0[0]) + 3).rounded().toInt().sum() }
        let inputset = (0..<16).map { i in [Tensor([i, (i + 5) % 16, (i * 3) % 16], shape: [3])] }
        try check(compiler, inputset: inputset, samples: [[[0, 7, 15]], [[4, 4, 9]]]) { sample in
            Tensor(Int(sample[0].elements.map { (3 * Foundation.sin(Double($0)) + 3).rounded(.toNearestOrEven) }.reduce(0, +)))
        }
    }

    @Test("two-variable lowerings: x·y, comparison, minimum")
    func bivariate() throws {
        let compiler = Compiler(["x": .encrypted, "y": .encrypted]) { args in
            let (x, y) = (args[0], args[1])
            return x * y + (x < y) - minimum(x, y)
        }
        let inputset = (0...3).flatMap { x in (0...3).map { [Tensor(x), Tensor($0)] } }
        try check(compiler, inputset: inputset, samples: [[3, 2], [1, 3], [2, 2]]) {
            let (x, y) = (Int($0[0].scalar), Int($0[1].scalar))
            return Tensor(x * y + (x < y ? 1 : 0) - min(x, y))
        }
    }

    @Test("a signed lookup input and clear weights")
    func signed() throws {
        let compiler = Compiler(["x": .encrypted]) { args in abs(args[0].dot([1, -1]) - 2) * 3 }
        let inputset = (0...7).map { i in [Tensor([i % 4, (i * 3) % 8], shape: [2])] }
        try check(compiler, inputset: inputset, samples: [[[1, 7]], [[3, 1]], [[2, 6]]]) {
            Tensor(Swift.abs(Int($0[0].elements[0] - $0[0].elements[1]) - 2) * 3)
        }
    }

    @Test("statistics count the lookups and keys are required")
    func statistics() throws {
        let circuit = try Compiler(["x": .encrypted]) { (($0[0] * $0[0]) % 5).sum() }
            .compile(inputset: [[[1, 2, 3, 4]], [[0, 3, 1, 2]]])
        #expect(circuit.statistics.programmableBootstrapCount == 4)   // (x·x) % 5 fused: one lookup per element
        #expect(circuit.statistics.maxBitWidth == 3)
        #expect(circuit.statistics.globalPError <= 1e-5 * 1.0001)
        #expect(throws: RuntimeError.noKeys) { try circuit.encrypt([1, 2, 3, 4]) }
    }
}

/// The example of README.md, kept compiling and correct.
@Test("the README circuit example")
func readmeCircuitExample() throws {
    let compiler = Compiler(["x": .encrypted, "y": .clear]) { args in
        let (x, y) = (args[0], args[1])
        return (x * x + y) % 13
    }
    let circuit = try compiler.compile(inputset: [[3, 1], [7, 2], [0, 0]])
    #expect(circuit.graph.contains("remainder"))
    #expect(try circuit.simulate(7, 2) == 12)
    #expect(circuit.statistics.programmableBootstrapCount == 2)
    try circuit.keygen()
    #expect(try circuit.encryptRunDecrypt(7, 2) == 12)
}

@Test("keygen(seed:) gives the same keys for the same seed, other keys for another")
func seededKeygen() throws {
    let compiler = Compiler(["x": .encrypted]) { ($0[0] * $0[0] + 3) % 11 }
    let inputset = (0..<8).map { [Tensor($0)] }
    let a = try compiler.compile(inputset: inputset), b = try compiler.compile(inputset: inputset)
    let c = try compiler.compile(inputset: inputset)
    try a.keygen(seed: 7)
    try b.keygen(seed: 7)
    try c.keygen(seed: 8)
    for x in 0..<8 {
        let encrypted = try a.encrypt(Tensor(x))
        #expect(try b.decrypt(b.run(encrypted)) == Tensor((x * x + 3) % 11))   // b's keys are a's
        #expect(throws: RuntimeError.self) { try c.decrypt(a.run(encrypted)) }    // c's keys are others
    }
    #expect(try a.keys.serialized() == b.keys.serialized())
    #expect(try a.keys.serialized() != c.keys.serialized())
}
