@testable import FHECompiler
@testable import FHEDeployment
import FHEParameters
import FHERuntime
import Foundation
import Testing

/// Lookups of 11 to 16 bits: wide lookups (WoP-PBS: bit extraction, circuit bootstrapping,
/// vertical packing), their decompositions and the parameter set chosen together by the
/// optimizer, their keys in the client/server split. Simulate equals Swift on every input; FHE
/// on boundary and random ones (a few in `make test`, more with `FHE_HEAVY_TESTS=1`).
@Suite("Lookups of 11 to 16 bits")
struct WoPLookupTests {
    /// `(v * v) % m >> shift` for v of `bits` bits, m the largest prime below 2^bits: outputs of
    /// `bits − shift` bits.
    private static func squareModulo(bits: Int, outputBits: Int) -> (compiler: Compiler, inputset: [[Tensor]], swift: (Int) -> Int) {
        let modulus = [11: 2039, 12: 4093, 16: 65521][bits]!, shift = bits - outputBits
        let compiler = Compiler(["x": .encrypted]) { $0[0].apply { (($0 * $0) % modulus) >> shift } }
        return (compiler, (0..<(1 << bits)).map { [Tensor($0)] }, { (($0 * $0) % modulus) >> shift })
    }

    /// Boundary inputs of a `bits`-bit value and `random` random ones.
    private static func probes(bits: Int, random: Int) -> [Int] {
        let top = (1 << bits) - 1
        var generator = SystemRandomNumberGenerator()
        return [0, top, top / 2 + 1] + (0..<random).map { _ in Int.random(in: 0...top, using: &generator) }
    }

    @Test("12- and 16-bit lookups compile to wide lookups; simulate equals Swift on every input",
          arguments: [(12, 12), (16, 8)])
    func simulated(bits: Int, outputBits: Int) throws {
        let (compiler, inputset, swift) = Self.squareModulo(bits: bits, outputBits: outputBits)
        let circuit = try compiler.compile(inputset: inputset)
        let statistics = circuit.statistics
        let wide = try #require(statistics.wideLookup)
        #expect(statistics.wideLookupCount == 1 && statistics.maxBitWidth == bits)
        #expect(statistics.programmableBootstrapCount == bits * wide.bootstrapsPerBit)
        #expect(statistics.circuitBootstrapKeyBytes == wide.circuitKeyBytes(statistics.parameters))
        #expect(statistics.globalPError <= 1e-5 * 1.0001)
        #expect(circuit.graph.contains("wide lookup"), "\(circuit.graph)")
        for x in 0..<(1 << bits) { #expect(try circuit.simulate(Tensor(x)) == Tensor(swift(x)), "\(x)") }
    }

    @Test("in FHE: a 12-bit lookup with 12-bit outputs and a 16-bit one with 8-bit outputs, on boundary and random inputs",
          arguments: [(12, 12), (16, 8)])
    func encrypted(bits: Int, outputBits: Int) throws {
        let (compiler, inputset, swift) = Self.squareModulo(bits: bits, outputBits: outputBits)
        let circuit = try compiler.compile(inputset: inputset)
        try circuit.keygen()
        for x in Self.probes(bits: bits, random: WideLookupTests.heavy ? 12 : 1) {
            #expect(try circuit.encryptRunDecrypt(Tensor(x)) == Tensor(swift(x)), "\(x)")
        }
    }

    @Test("with FHE_HEAVY_TESTS: a 16-bit lookup with 16-bit outputs, and 11-bit ones in FHE")
    func heavyWidths() throws {
        guard WideLookupTests.heavy else { return }
        for (bits, outputBits) in [(16, 16), (11, 11)] {
            let (compiler, inputset, swift) = Self.squareModulo(bits: bits, outputBits: outputBits)
            let circuit = try compiler.compile(inputset: inputset)
            try circuit.keygen()
            for x in Self.probes(bits: bits, random: 6) { #expect(try circuit.encryptRunDecrypt(Tensor(x)) == Tensor(swift(x)), "\(x)") }
        }
    }

    @Test("a signed 12-bit input, and a vector whose elements share the wide lookup")
    func signedAndVector() throws {
        let compiler = Compiler(["x": .encrypted]) { $0[0].apply { ($0 * $0 + 3 * $0) % 1000 } }
        let inputset = (-2048..<2048).map { [Tensor([$0, -1 - $0], shape: [2])] }
        let circuit = try compiler.compile(inputset: inputset)
        #expect(circuit.statistics.wideLookupCount == 2)
        let swift: (Int) -> Int = { ($0 * $0 + 3 * $0) % 1000 }
        for x in stride(from: -2048, to: 2048, by: 7) {
            #expect(try circuit.simulate(Tensor([x, -1 - x], shape: [2])) == Tensor([swift(x), swift(-1 - x)], shape: [2]), "\(x)")
        }
        try circuit.keygen()
        for x in [-2048, 2047, -5] {
            #expect(try circuit.encryptRunDecrypt(Tensor([x, -1 - x], shape: [2])) == Tensor([swift(x), swift(-1 - x)], shape: [2]), "\(x)")
        }
    }

    @Test("a lookup of more than 16 bits is refused on the graph, with what to change")
    func tooWide() throws {
        let compiler = Compiler(["x": .encrypted]) { $0[0].apply { $0 % 7 } }
        do {
            _ = try compiler.compile(inputset: [[Tensor(0)], [Tensor((1 << 17) - 1)]])
            Issue.record("compiled a 17-bit lookup")
        } catch {
            #expect("\(error)".contains("only up to 16-bit table lookups are supported"), "\(error)")
        }
    }

    /// A cheap wide circuit for the deployment tests: a 12-bit lookup with 4-bit outputs.
    private static let deployed: Circuit = {
        let (compiler, inputset, _) = squareModulo(bits: 12, outputBits: 4)
        return try! compiler.compile(inputset: inputset)
    }()

    @Test("deployed: the circuit bootstrapping keys travel seeded with the evaluation keys, and the split runs")
    func deployment() throws {
        let server = try Server(artifact: ServerArtifact(serialized: Self.deployed.server.serialized()))
        let specs = try ClientSpecs(serialized: server.clientSpecs.serialized())
        #expect(specs.wideLookup != nil && specs == Self.deployed.clientSpecs)
        let client = Client(specs: specs)
        try client.keygen()
        let sent = try client.evaluationKeys.serialized()
        let p = specs.parameters, wide = specs.wideLookup!
        #expect(sent.count == (try client.evaluationKeys.serializedByteCount))
        #expect(sent.count == BinaryFormat.headerByteCount + ParameterSet.serializedByteCount + 2 * 16 + 1 + 6
                + p.seededBootstrapKeyBytes + p.seededKeyswitchKeyBytes + wide.seededCircuitKeyBytes(p))
        let keys = try server.evaluationKeys(serialized: sent)
        for x in [0, 4095, 1000] {
            let result = try server.run(client.encrypt(Tensor(x)), evaluationKeys: keys)
            #expect(try client.decrypt(result) == Tensor(((x * x) % 4093) >> 8), "\(x)")
        }
    }

    @Test("forged: keys without or with cut circuit bootstrapping keys, and an artifact whose specs lack them, are refused")
    func forgeries() throws {
        let server = try Server(artifact: ServerArtifact(serialized: Self.deployed.server.serialized()))
        let client = Client(specs: server.clientSpecs)
        try client.keygen(seed: 5)
        let sent = try client.evaluationKeys.serialized()
        // The same keys with the presence byte of the circuit keys cleared and their bodies cut:
        // the decompositions differ from the specs', refused before any body is read.
        let presence = sent.count - (6 + server.clientSpecs.wideLookup!.seededCircuitKeyBytes(server.clientSpecs.parameters)) - 1
        var withoutCircuitKeys = Data(sent.prefix(presence))
        withoutCircuitKeys.append(0)
        #expect(throws: RuntimeError.self) { try server.evaluationKeys(serialized: withoutCircuitKeys) }
        #expect(throws: DeserializationError.self) { try EvaluationKeys(serialized: sent.dropLast(8)) }
        #expect(throws: DeserializationError.self) { try EvaluationKeys(serialized: sent + [0]) }
        var badPresence = sent
        badPresence[presence] = 2
        #expect(throws: DeserializationError.self) { try EvaluationKeys(serialized: badPresence) }
        // Specs whose decompositions are out of range (ℓ_cb = 0, 2^5 lookups per PBS, narrowest
        // wide width 20) or whose presence byte is not 0 or 1, and cut specs, are refused.
        let specs = server.clientSpecs.serialized()
        let wideAt = BinaryFormat.headerByteCount + ParameterSet.serializedByteCount
        for (offset, value) in [(0, UInt8(2)), (2, 0), (5, 5), (6, 20)] {
            var forged = specs
            forged[wideAt + offset] = value
            let error = #expect(throws: DeserializationError.self) { try ClientSpecs(serialized: forged) }
            #expect(error.map { "\($0)" }?.contains("invalid data") == true, "\(String(describing: error))")
        }
        #expect(throws: DeserializationError.self) { try ClientSpecs(serialized: specs.prefix(wideAt + 3)) }
        // An artifact whose program has the 12-bit lookup but whose specs have no decompositions.
        let artifact = Self.deployed.server
        let original = artifact.clientSpecs
        let stripped = ServerArtifact(program: artifact.program, registerTypes: artifact.registerTypes, clientSpecs: ClientSpecs(
            parameters: original.parameters, arguments: original.arguments, result: original.result,
            circuitFingerprint: original.circuitFingerprint))
        let error = #expect(throws: DeserializationError.self) { try ServerArtifact(serialized: stripped.serialized()) }
        #expect(error.map { "\($0)" }?.contains("wide lookups") == true)
    }
}
