import FHECompiler
import FHEParameters
import FHERuntime
import Foundation
import Testing

/// Lookups of 9 and 10 bits: one PBS with a large polynomial (N = 2^15, 2^16 at the default
/// target) within the configuration's key-size budget, or a wide lookup, the cheaper. Simulate equals Swift on every input;
/// FHE on boundary and random ones. The 10-bit run in FHE needs about 9 GiB of keys and is opt-in
/// (`FHE_HEAVY_TESTS=1`, `make test-heavy`).
@Suite("Lookups of 9 and 10 bits")
struct WideLookupTests {
    /// Whether the opt-in heavy tests run.
    static let heavy = ProcessInfo.processInfo.environment["FHE_HEAVY_TESTS"] != nil

    /// `(v * v) % m` on every value of `bits` bits, m the largest prime below 2^bits.
    private static func squareModulo(bits: Int) -> (compiler: Compiler, inputset: [[Tensor]], swift: (Int) -> Int) {
        let modulus = [9: 509, 10: 1021][bits]!
        let compiler = Compiler(["x": .encrypted]) { $0[0].apply { ($0 * $0) % modulus } }
        return (compiler, (0..<(1 << bits)).map { [Tensor($0)] }, { ($0 * $0) % modulus })
    }

    /// Boundary inputs of a `bits`-bit value and a few random ones.
    private static func probes(bits: Int) -> [Int] {
        let top = (1 << bits) - 1
        var generator = SystemRandomNumberGenerator()
        return [0, 1, top / 2, top / 2 + 1, top - 1, top] + (0..<4).map { _ in Int.random(in: 0...top, using: &generator) }
    }

    @Test("9- and 10-bit lookups: one PBS, N large enough, simulate equals Swift on every input", arguments: [9, 10])
    func simulated(bits: Int) throws {
        let (compiler, inputset, swift) = Self.squareModulo(bits: bits)
        let circuit = try compiler.compile(inputset: inputset, configuration: Configuration(keySizeBudget: 16 << 30,
                                                                                            wideLookupPreference: .onePBS))
        #expect(circuit.statistics.programmableBootstrapCount == 1 && circuit.statistics.maxBitWidth == bits)
        #expect(circuit.statistics.parameters.polynomialSize >= 2 << bits)
        for x in 0..<(1 << bits) { #expect(try circuit.simulate(Tensor(x)) == Tensor(swift(x)), "\(x)") }
    }

    @Test("a 10-bit lookup: as one PBS over the default key-size budget (refused, naming it), a wide lookup by default")
    func overBudget() throws {
        let (compiler, inputset, swift) = Self.squareModulo(bits: 10)
        do {
            _ = try compiler.compile(inputset: inputset, configuration: Configuration(wideLookupPreference: .onePBS))
            Issue.record("compiled a 10-bit lookup as one PBS within 8 GiB of keys")
        } catch {
            let message = "\(error)"
            #expect(message.contains("over the key-size budget of 8192 MiB") && message.contains("raise the budget"), "\(message)")
        }
        #expect(throws: CompilationError.self) { try compiler.compile(inputset: inputset, configuration: Configuration(keySizeBudget: 0)) }
        let circuit = try compiler.compile(inputset: inputset)
        let statistics = circuit.statistics
        #expect(statistics.wideLookup?.narrowestBits == 9 && statistics.wideLookupCount == 1, "\(circuit.graph)")
        #expect(statistics.bootstrapKeyBytes + statistics.keySwitchKeyBytes + statistics.circuitBootstrapKeyBytes < 1 << 30)
        for x in 0..<(1 << 10) { #expect(try circuit.simulate(Tensor(x)) == Tensor(swift(x)), "\(x)") }
        try circuit.keygen()
        for x in [0, 1023, Int.random(in: 0..<1024)] { #expect(try circuit.encryptRunDecrypt(Tensor(x)) == Tensor(swift(x)), "\(x)") }
    }

    @Test("in FHE: a 9-bit lookup on boundary and random inputs (a 10-bit one with FHE_HEAVY_TESTS)", arguments: [9, 10])
    func encrypted(bits: Int) throws {
        guard bits == 9 || Self.heavy else { return }
        let (compiler, inputset, swift) = Self.squareModulo(bits: bits)
        let circuit = try compiler.compile(inputset: inputset, configuration: Configuration(keySizeBudget: 16 << 30))
        try circuit.keygen()
        for x in Self.probes(bits: bits) { #expect(try circuit.encryptRunDecrypt(Tensor(x)) == Tensor(swift(x)), "\(x)") }
    }
}
