// RuntimeBenchmarks: circuits compiled and run in FHE (issue 5's table), with google/swift-benchmark.
// Run with `make bench`. Figures are in Benchmarks/README.md.
import Benchmark
import FHE
import Foundation

/// A circuit with its keys and one encrypted input, prepared before timing.
struct Prepared {
    let circuit: Circuit
    let arguments: [Tensor]
    let encrypted: EncryptedArguments

    init(_ compiler: Compiler, inputset: [[Tensor]], arguments: [Tensor], configuration: Configuration) throws {
        circuit = try compiler.compile(inputset: inputset, configuration: configuration)
        try circuit.keygen()
        self.arguments = arguments
        encrypted = try circuit.encrypt(arguments: arguments)
    }
}

var generator = SystemRandomNumberGenerator()
let permutation = (0..<256).shuffled(using: &generator)
/// dot16_relu's fixed weights in [−3, 3]; its inputset holds the two extreme inputs (the dot's
/// range is then [−180, 225]: int9, a 4-bit lookup after rounding 5 bits) and random ones.
let dotWeights: Tensor = [2, -3, 1, 0, -1, 3, -2, 2, 1, -3, 0, 2, -1, 1, 3, -2]
let dotInputset = [dotWeights.elements.map { $0 > 0 ? 15 : 0 }, dotWeights.elements.map { $0 < 0 ? 15 : 0 }]
    .map { [Tensor($0, shape: [16])] }
    + (0..<30).map { _ in [Tensor((0..<16).map { _ in Int.random(in: 0..<16, using: &generator) }, shape: [16])] }
/// mlp16x8x4's layers: 16 → 8 (weights in [−3, 3], rounded 5 bits, ReLU, /32) → 4 (weights in [−1, 1], ReLU).
let layer1 = Tensor((0..<128).map { [2, -3, 1, 0, -1, 3, -2, 2, 1, -3, 0, 2, -1, 1, 3, -2][($0 * 7) % 16] }, shape: [16, 8])
let layer2 = Tensor((0..<32).map { [1, -1, 0, 1, -1][$0 % 5] }, shape: [8, 4])
let mlpInputset = [[Tensor(Array(repeating: 15, count: 16), shape: [16])], [Tensor(Array(repeating: 0, count: 16), shape: [16])]]
    + (0..<30).map { _ in [Tensor((0..<16).map { _ in Int.random(in: 0..<16, using: &generator) }, shape: [16])] }
/// Boundary and random pairs of `bits`-bit unsigned values: the inputset of the wide-integer circuits.
func widePairs(bits: Int) -> [[Tensor]] {
    let top = (1 << bits) - 1
    var generator = SystemRandomNumberGenerator()
    return [(0, 0), (0, top), (top, 0), (top, top)].map { [Tensor($0.0), Tensor($0.1)] }
        + (0..<60).map { _ in [Tensor(Int.random(in: 0...top, using: &generator)), Tensor(Int.random(in: 0...top, using: &generator))] }
}
let circuits: [(name: String, compiler: Compiler, inputset: [[Tensor]], arguments: [Tensor])] = [
    ("tlu4", Compiler(["x": .encrypted]) { ($0[0] * $0[0]) % 13 }, (0..<16).map { [Tensor($0)] }, [7]),
    ("tlu6", Compiler(["x": .encrypted]) { ($0[0] * $0[0]) % 61 }, (0..<64).map { [Tensor($0)] }, [37]),
    ("tlu8", Compiler(["x": .encrypted]) { LookupTable(permutation)[$0[0]] }, (0..<256).map { [Tensor($0)] }, [200]),
    ("add_mul_clear", Compiler(["x": .encrypted, "y": .encrypted]) { 3 * $0[0] + 2 * $0[1] },
     (0..<16).map { [Tensor($0), Tensor(15 - $0)] }, [5, 9]),
    ("float_fused", Compiler(["x": .encrypted]) { (7 * sin($0[0]) + 7).rounded().toInt() }, (0..<16).map { [Tensor($0)] }, [11]),
    ("vec64_tlu4", Compiler(["x": .encrypted]) { ($0[0] * $0[0]) % 13 },
     (0..<16).map { i in [Tensor((0..<64).map { ($0 + i) % 16 }, shape: [64])] }, [Tensor((0..<64).map { $0 % 16 }, shape: [64])]),
    ("dot16_relu", Compiler(["x": .encrypted]) { relu(roundBitPattern($0[0].dot(dotWeights), lsbsToRemove: 5)) / 32 },
     dotInputset, [Tensor((0..<16).map { $0 }, shape: [16])]),
    ("mlp16x8x4", Compiler(["x": .encrypted]) { relu(matmul(relu(roundBitPattern(matmul($0[0], layer1), lsbsToRemove: 5)) / 32, layer2)) },
     mlpInputset, [Tensor((0..<16).map { $0 % 16 }, shape: [16])]),
    // Issue 14: operations of two encrypted values wider than one lookup; 9- and 10-bit lookups as the
    // optimizer chooses (wide lookups) and, tlu9_pbs, as one PBS at N = 32768.
    ("lt_uint8", Compiler(["x": .encrypted, "y": .encrypted]) { $0[0] < $0[1] }, widePairs(bits: 8), [200, 201]),
    ("lt_uint16", Compiler(["x": .encrypted, "y": .encrypted]) { $0[0] < $0[1] }, widePairs(bits: 16), [40000, 39999]),
    ("min_uint8", Compiler(["x": .encrypted, "y": .encrypted]) { minimum($0[0], $0[1]) }, widePairs(bits: 8), [200, 13]),
    ("mul_uint8", Compiler(["x": .encrypted, "y": .encrypted]) { $0[0] * $0[1] }, widePairs(bits: 8), [200, 13]),
    ("tlu9", Compiler(["x": .encrypted]) { $0[0].apply { ($0 * $0) % 509 } }, (0..<512).map { [Tensor($0)] }, [300]),
    ("tlu9_pbs", Compiler(["x": .encrypted]) { $0[0].apply { ($0 * $0) % 509 } }, (0..<512).map { [Tensor($0)] }, [300]),
    ("tlu10", Compiler(["x": .encrypted]) { $0[0].apply { ($0 * $0) % 1021 } }, (0..<1024).map { [Tensor($0)] }, [700]),
    // Wide lookups (WoP-PBS), 12- and 16-bit outputs.
    ("tlu12", Compiler(["x": .encrypted]) { $0[0].apply { ($0 * $0) % 4093 } }, (0..<4096).map { [Tensor($0)] }, [3000]),
    ("tlu16", Compiler(["x": .encrypted]) { $0[0].apply { ($0 * $0) % 65521 } }, (0..<65536).map { [Tensor($0)] }, [50000]),
]

/// Circuits compiled with other than the default configuration.
let configurations = ["tlu9_pbs": Configuration(wideLookupPreference: .onePBS)]

/// `RUNTIME_CIRCUITS=tlu9,tlu9_pbs` prepares only those circuits: every prepared circuit holds its
/// keys (in the circuit, the client and a server) for the whole run. By default all but
/// tlu9_pbs, whose 4.2 GB of keys beside the others' would exhaust the machine (`make bench`
/// runs it alone).
let selected = ProcessInfo.processInfo.environment["RUNTIME_CIRCUITS"].map { Set($0.split(separator: ",").map(String.init)) }
    ?? Set(circuits.map(\.name)).subtracting(["tlu9_pbs"])

var sizes = [String]()
for (name, compiler, inputset, arguments) in circuits where selected.contains(name) {
    let configuration = configurations[name] ?? Configuration()
    let prepared = try Prepared(compiler, inputset: inputset, arguments: arguments, configuration: configuration)
    let heavy = prepared.circuit.statistics.maxBitWidth >= 7 || prepared.circuit.statistics.programmableBootstrapCount >= 16
    benchmark("\(name): compile") { _ = try compiler.compile(inputset: inputset, configuration: configuration) }
    let keygenCircuit = try compiler.compile(inputset: inputset, configuration: configuration)   // new keys would orphan prepared.encrypted
    benchmark("\(name): keygen", settings: Iterations(heavy ? 2 : 5)) { try keygenCircuit.keygen() }
    benchmark("\(name): encrypt") { _ = try prepared.circuit.encrypt(arguments: arguments) }
    benchmark("\(name): run", settings: Iterations(heavy ? 5 : 20)) { _ = try prepared.circuit.run(prepared.encrypted) }
    let result = try prepared.circuit.run(prepared.encrypted)
    benchmark("\(name): decrypt") { _ = try prepared.circuit.decrypt(result) }
    benchmark("\(name): simulate") { _ = try prepared.circuit.simulate(arguments: arguments) }

    // The client/server split: keys made by a client (seeded, no FFT), loaded by a server (expanded).
    let client = Client(specs: prepared.circuit.clientSpecs)
    benchmark("\(name): client keygen", settings: Iterations(heavy ? 2 : 5)) { try client.keygen() }
    let wireKeys = try prepared.circuit.evaluationKeys.serialized()
    let server = try Server(artifact: prepared.circuit.server)
    benchmark("\(name): server key load", settings: Iterations(heavy ? 2 : 5)) { _ = try server.evaluationKeys(serialized: wireKeys) }
    let statistics = prepared.circuit.statistics
    sizes.append("\(name): \(statistics.programmableBootstrapCount) PBS at \(statistics.parameters); evaluation keys \(wireKeys.count) B on the wire (bootstrapping \(statistics.bootstrapKeyWireBytes) B, "
        + "keyswitching \(statistics.keySwitchKeyWireBytes) B; in memory \(statistics.bootstrapKeyBytes) B and "
        + "\(statistics.keySwitchKeyBytes) B), fresh arguments \(prepared.encrypted.serialized().count) B"
        + (statistics.wideLookup.map { "; wide lookups \($0), circuit bootstrapping keys \(statistics.circuitBootstrapKeyWireBytes) B "
            + "on the wire, \(statistics.circuitBootstrapKeyBytes) B in memory" } ?? ""))
}

// The optimizer's search (a test checked it under a second once; timing belongs here).
for bits in [4, 8] {
    benchmark("optimizer: \(bits)-bit lookup, ‖w‖₂ = 16") { _ = try Optimizer.optimize(bits: bits, norm2: 16) }
}

print(sizes.joined(separator: "\n"))
Benchmark.main()
