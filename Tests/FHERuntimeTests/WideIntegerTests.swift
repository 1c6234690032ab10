import FHECompiler
import FHERuntime
import Foundation
import Testing

/// Operations of two encrypted integers wider than one lookup (`MultivariateStrategy.chunked`):
/// comparisons by the rounded difference, the others by radix decomposition (`Decomposition`).
/// simulate equals Swift on boundary and random pairs at 8, 12 and 16 bits; FHE equals Swift on a
/// few of them.
@Suite("Wide integers")
struct WideIntegerTests {
    /// The operations of two variables, with their Swift meaning.
    nonisolated(unsafe) static let operations: [(name: String, traced: (Tracer, Tracer) -> Tracer, swift: (Int, Int) -> Int)] = [
        ("<", { $0 < $1 }, { $0 < $1 ? 1 : 0 }), ("<=", { $0 <= $1 }, { $0 <= $1 ? 1 : 0 }),
        (">", { $0 > $1 }, { $0 > $1 ? 1 : 0 }), (">=", { $0 >= $1 }, { $0 >= $1 ? 1 : 0 }),
        ("==", { $0 == $1 }, { $0 == $1 ? 1 : 0 }), ("!=", { $0 != $1 }, { $0 != $1 ? 1 : 0 }),
        ("minimum", { minimum($0, $1) }, { min($0, $1) }), ("maximum", { maximum($0, $1) }, { max($0, $1) }),
        ("&", { $0 & $1 }, { $0 & $1 }), ("|", { $0 | $1 }, { $0 | $1 }), ("^", { $0 ^ $1 }, { $0 ^ $1 }),
        ("*", { $0 * $1 }, { $0 * $1 }),
    ]

    /// Boundary pairs and pseudo-random ones of `bits`-bit unsigned values.
    static func pairs(bits: Int, count: Int = 24) -> [(Int, Int)] {
        let top = (1 << bits) - 1
        let edges = [(0, 0), (0, top), (top, 0), (top, top), (top / 2, top / 2 + 1), (top / 2 + 1, top / 2), (1, 0), (5, 5)]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(bits)
        let random = (0..<count).map { _ -> (Int, Int) in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Int(state >> 33) & top, Int(state >> 13) & top)
        }
        return edges + random
    }

    private static func compile(_ traced: @escaping (Tracer, Tracer) -> Tracer, _ pairs: [(Int, Int)],
                                strategy: MultivariateStrategy = .automatic, keySizeBudget: Int = 8 << 30,
                                wide: WideLookupPreference = .automatic) throws -> Circuit {
        try Compiler(["x": .encrypted, "y": .encrypted]) { traced($0[0], $0[1]) }
            .compile(inputset: pairs.map { [Tensor($0.0), Tensor($0.1)] },
                     configuration: Configuration(multivariateStrategy: strategy, keySizeBudget: keySizeBudget,
                                                  wideLookupPreference: wide))
    }

    @Test("every operation at 8, 12 and 16 bits: simulate equals Swift", arguments: [8, 12, 16])
    func simulated(bits: Int) throws {
        let pairs = Self.pairs(bits: bits)
        for operation in Self.operations where !(operation.name == "*" && bits > 8) {
            let circuit = try Self.compile(operation.traced, pairs)
            for (x, y) in pairs {
                #expect(try circuit.simulate(Tensor(x), Tensor(y)) == Tensor(operation.swift(x, y)), "\(x) \(operation.name) \(y)")
            }
        }
    }
}

extension WideIntegerTests {
    @Test("shifts of 8-, 12- and 16-bit values by an encrypted amount: simulate equals Swift", arguments: [8, 12, 16])
    func shifts(bits: Int) throws {
        let pairs = Self.pairs(bits: bits).map { ($0.0, $0.1 % 5) }
        for (name, traced, swift) in [("<<", { (x: Tracer, y: Tracer) in x << y }, { (x: Int, y: Int) in x << y }),
                                      (">>", { $0 >> $1 }, { $0 >> $1 })] {
            let circuit = try Self.compile(traced, pairs, strategy: .chunked(bits: 3))
            for (x, y) in pairs { #expect(try circuit.simulate(Tensor(x), Tensor(y)) == Tensor(swift(x, y)), "\(x) \(name) \(y)") }
        }
    }

    @Test("signed operands: chunks of two's complement values, negative tops", arguments: ["<", "==", "minimum", "maximum", "&", "^", "*"])
    func signed(name: String) throws {
        let operation = Self.operations.first { $0.name == name }!
        let pairs = Self.pairs(bits: 10).map { ($0.0 - 512, $0.1 - 300) }
        let circuit = try Self.compile(operation.traced, pairs, strategy: .chunked(bits: 3))
        for (x, y) in pairs { #expect(try circuit.simulate(Tensor(x), Tensor(y)) == Tensor(operation.swift(x, y)), "\(x) \(name) \(y)") }
    }

    /// A comparison of a wide encrypted value with a constant or a clear argument is a lookup of
    /// the encrypted value under `oneLookup` (refused past 10 bits); chunked, the rounded difference.
    @Test("comparisons of 12- and 16-bit encrypted values with constants and clear arguments", arguments: [12, 16])
    func withClear(bits: Int) throws {
        let top = (1 << bits) - 1, constant = top * 3 / 5
        let values = Self.pairs(bits: bits).flatMap { [$0.0, $0.1] } + [constant - 1, constant, constant + 1]
        let cases: [(name: String, compiler: Compiler, swift: (Int, Int) -> Int)] = [
            ("x < c", Compiler(["x": .encrypted]) { $0[0] < constant }, { x, _ in x < constant ? 1 : 0 }),
            ("x <= c", Compiler(["x": .encrypted]) { $0[0] <= constant }, { x, _ in x <= constant ? 1 : 0 }),
            ("x != c", Compiler(["x": .encrypted]) { $0[0] != constant }, { x, _ in x != constant ? 1 : 0 }),
            ("x == y, y clear", Compiler(["x": .encrypted, "y": .clear]) { $0[0] == $0[1] }, { x, y in x == y ? 1 : 0 }),
            ("x > y, y clear", Compiler(["x": .encrypted, "y": .clear]) { $0[0] > $0[1] }, { x, y in x > y ? 1 : 0 }),
        ]
        for (name, compiler, swift) in cases {
            let twoArguments = name.contains("y clear")
            let inputset = values.map { twoArguments ? [Tensor($0), Tensor(top - $0)] : [Tensor($0)] }
            let circuit = try compiler.compile(inputset: inputset)
            #expect(circuit.statistics.maxBitWidth <= 5, "\(name)")
            for x in values {
                let y = x % 3 == 0 ? x : top - x
                let result = twoArguments ? try circuit.simulate(Tensor(x), Tensor(y)) : try circuit.simulate(Tensor(x))
                #expect(result == Tensor(swift(x, y)), "\(x) \(name) \(y)")
            }
        }
        let threshold = Compiler(["x": .encrypted]) { $0[0] < constant }
        let inputset = values.map { [Tensor($0)] }
        // One lookup of x is a wide lookup; the default chunks, with fewer and smaller PBS.
        let oneLookup = try threshold.compile(inputset: inputset, configuration: Configuration(multivariateStrategy: .oneLookup))
        let circuit = try threshold.compile(inputset: inputset)
        #expect(oneLookup.statistics.wideLookupCount == 1 && circuit.statistics.wideLookupCount == 0)
        #expect(circuit.statistics.programmableBootstrapCount < oneLookup.statistics.programmableBootstrapCount)
        guard bits == 12 else { return }
        try circuit.keygen()
        for x in [0, constant - 1, constant, top] {
            #expect(try circuit.encryptRunDecrypt(Tensor(x)) == Tensor(x < constant ? 1 : 0), "\(x) < \(constant)")
        }
    }

    /// One 9-bit lookup needs N = 32768 and 4 GiB of keys as one PBS, 9 PBS as a wide lookup: the
    /// cost model prefers small chunks; asked for, the single lookup compiles, and a key-size
    /// budget below its keys refuses it as one PBS.
    @Test("x < y on uint8 compiles to a rounded difference: a handful of small PBS instead of a 9-bit lookup")
    func lessIsSmall() throws {
        let less = Self.operations[0].traced, pairs = Self.pairs(bits: 8)
        let circuit = try Self.compile(less, pairs)
        #expect(circuit.compiled.multivariateStrategy != .oneLookup)
        #expect(circuit.statistics.programmableBootstrapCount <= 7)
        #expect(circuit.statistics.maxBitWidth <= 4)
        let single = try Self.compile(less, pairs, strategy: .oneLookup, wide: .onePBS)
        #expect(single.statistics.programmableBootstrapCount == 1 && single.statistics.maxBitWidth == 9)
        #expect(single.statistics.parameters.polynomialSize >= 16 * circuit.statistics.parameters.polynomialSize)
        let budget = 1 << 30
        #expect(single.statistics.bootstrapKeyBytes + single.statistics.keySwitchKeyBytes > budget)
        do {
            _ = try Self.compile(less, pairs, strategy: .oneLookup, keySizeBudget: budget, wide: .onePBS)
            Issue.record("compiled over the key-size budget")
        } catch {
            #expect("\(error)".contains("over the key-size budget of 1024 MiB"), "\(error)")
        }
        #expect(try Self.compile(less, pairs, keySizeBudget: budget).statistics.programmableBootstrapCount
                == circuit.statistics.programmableBootstrapCount)
        let wideLookup = try Self.compile(less, pairs, strategy: .oneLookup, keySizeBudget: budget)
        #expect(wideLookup.statistics.wideLookupCount == 1 && wideLookup.statistics.programmableBootstrapCount == 9)
    }

    @Test("in FHE: comparisons, minimum, bitwise, shifts and products of 8- to 16-bit values",
          arguments: [(8, "<"), (16, "<"), (8, "=="), (8, "minimum"), (12, "maximum"), (8, "^"), (12, "&"), (8, "*"), (12, ">>")])
    func encrypted(bits: Int, name: String) throws {
        try Self.checkInFHE(bits: bits, name: name, probes: [1, 4, 9])
    }

    /// Every operation at 8, 12 and 16 bits in FHE on every boundary pair and eight random ones
    /// (`FHE_HEAVY_TESTS=1`, `make test-heavy`: about 20 minutes on two cores).
    @Test("in FHE, opt-in: every operation at 8, 12 and 16 bits on boundary and random pairs", arguments: [8, 12, 16])
    func encryptedHeavy(bits: Int) throws {
        guard WideLookupTests.heavy else { return }
        for name in Self.operations.map(\.name) + [">>"] where !(name == "*" && bits > 8) {
            try Self.checkInFHE(bits: bits, name: name, probes: Array(0..<16))
        }
    }

    /// `name` on `bits`-bit pairs (the probes' indices into `pairs`) in FHE against Swift.
    private static func checkInFHE(bits: Int, name: String, probes: [Int]) throws {
        let shift = name == ">>"
        let operation = shift ? (name: ">>", traced: { (x: Tracer, y: Tracer) in x >> y }, swift: { (x: Int, y: Int) in x >> y })
            : operations.first { $0.name == name }!
        let pairs = pairs(bits: bits).map { shift ? ($0.0, $0.1 % 5) : $0 }
        let circuit = try compile(operation.traced, pairs)
        try circuit.keygen()
        for (x, y) in probes.map({ pairs[$0] }) {
            #expect(try circuit.encryptRunDecrypt(Tensor(x), Tensor(y)) == Tensor(operation.swift(x, y)), "\(x) \(name) \(y)")
        }
    }
}
