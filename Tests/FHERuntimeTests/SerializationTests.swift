import FHECompiler
import FHERuntime
import Foundation
import Testing

/// The binary format: round trips, and malformed input of every kind rejected with an error
/// (never a crash, a hang or an unbounded allocation).
@Suite("Serialized artifacts")
struct SerializationTests {
    static var compiler: Compiler { Compiler(["x": .encrypted, "y": .clear]) { args in (args[0] * 3 + args[1]) % 7 } }
    static let inputset: [[Tensor]] = (0..<8).map { [Tensor($0), Tensor($0 % 3)] }

    @Test("specs, arguments and results survive a round trip and still decrypt")
    func roundTrip() throws {
        let circuit = try Self.compiler.compile(inputset: Self.inputset)
        try circuit.keygen(seed: 3)
        let specs = try ClientSpecs(serialized: circuit.clientSpecs.serialized())
        #expect(specs == circuit.clientSpecs)
        #expect(specs.fingerprint == circuit.clientSpecs.fingerprint)
        let arguments = try EncryptedArguments(serialized: circuit.encrypt(5, 2).serialized())
        let result = try EncryptedResult(serialized: circuit.run(arguments).serialized())
        #expect(try circuit.decrypt(result) == Tensor((5 * 3 + 2) % 7))
    }

    @Test("every truncation and the wrong kinds are rejected")
    func truncations() throws {
        let circuit = try Self.compiler.compile(inputset: Self.inputset)
        try circuit.keygen(seed: 3)
        let specs = circuit.clientSpecs.serialized()
        for length in 0..<specs.count {
            #expect(throws: DeserializationError.self) { try ClientSpecs(serialized: specs.prefix(length)) }
        }
        let arguments = try circuit.encrypt(4, 1).serialized()
        for length in Array(0..<80) + Array(stride(from: 80, to: arguments.count, by: 97)) {
            #expect(throws: DeserializationError.self) { try EncryptedArguments(serialized: arguments.prefix(length)) }
        }
        #expect(throws: DeserializationError.self) { try EncryptedArguments(serialized: specs) }          // wrong kind
        #expect(throws: DeserializationError.self) { try EncryptedResult(serialized: arguments) }        // wrong kind
        #expect(throws: DeserializationError.self) { try EncryptedArguments(serialized: arguments + [0]) } // trailing
        #expect(throws: DeserializationError.self) { try ClientSpecs(serialized: Data("not swift-fhe".utf8)) }
    }

    @Test("random byte flips give an error or a well-formed object the circuit checks; never a crash")
    func byteFlips() throws {
        let circuit = try Self.compiler.compile(inputset: Self.inputset)
        try circuit.keygen(seed: 3)
        let specs = circuit.clientSpecs.serialized(), arguments = try circuit.encrypt(6, 0).serialized()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var flippedSpecs = specs
            flippedSpecs[Int.random(in: 0..<specs.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            #expect(throws: DeserializationError.self) { try ClientSpecs(serialized: flippedSpecs) }   // the fingerprint catches the body

            var flipped = arguments
            let position = Int.random(in: 0..<min(arguments.count, 200), using: &generator)   // the structure, not the masks
            flipped[position] ^= UInt8.random(in: 1...255, using: &generator)
            if let decoded = try? EncryptedArguments(serialized: flipped) {
                _ = try? circuit.run(decoded)   // another fingerprint, shape or dimension: a RuntimeError
            }
        }
    }

    @Test("arguments of another circuit are refused")
    func otherCircuit() throws {
        let circuit = try Self.compiler.compile(inputset: Self.inputset)
        let other = try Compiler(["x": .encrypted, "y": .clear]) { args in (args[0] * 2 + args[1]) % 5 }.compile(inputset: Self.inputset)
        try circuit.keygen(seed: 3)
        try other.keygen(seed: 3)
        #expect(throws: RuntimeError.self) { try other.run(circuit.encrypt(1, 1)) }
    }
}

/// The deployment artifacts: evaluation keys, client keys and the server artifact.
@Suite("Serialized deployment artifacts")
struct DeploymentSerializationTests {
    static let circuit: Circuit = {
        let circuit = try! SerializationTests.compiler.compile(inputset: SerializationTests.inputset)
        try! circuit.keygen(seed: 11)
        return circuit
    }()

    @Test("truncations, wrong kinds and trailing bytes of every deployment artifact are rejected")
    func truncations() throws {
        let server = Self.circuit.server.serialized(), clientKeys = try Self.circuit.keys.serialized()
        let evaluationKeys = try Self.circuit.evaluationKeys.serialized()
        for length in 0..<server.count {
            #expect(throws: DeserializationError.self) { try ServerArtifact(serialized: server.prefix(length)) }
        }
        for length in 0..<clientKeys.count {
            #expect(throws: DeserializationError.self) { try ClientKeys(serialized: clientKeys.prefix(length)) }
        }
        for length in Array(0..<120) + Array(stride(from: 120, to: evaluationKeys.count, by: evaluationKeys.count / 50)) {
            #expect(throws: DeserializationError.self) { try EvaluationKeys(serialized: evaluationKeys.prefix(length)) }
        }
        for (data, kinds) in [(server, 0), (clientKeys, 1), (evaluationKeys, 2)] {
            #expect(throws: DeserializationError.self) { try ServerArtifact(serialized: kinds == 0 ? data + [0] : data) }
            #expect(throws: DeserializationError.self) { try ClientKeys(serialized: kinds == 1 ? data + [0] : data) }
            #expect(throws: DeserializationError.self) { try EvaluationKeys(serialized: kinds == 2 ? data + [0] : data) }
        }
    }

    @Test("any byte flip of a server artifact is rejected")
    func serverFlips() throws {
        let server = Self.circuit.server.serialized()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            var flipped = server
            flipped[Int.random(in: 0..<server.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            #expect(throws: DeserializationError.self) { try ServerArtifact(serialized: flipped) }
        }
    }

    @Test("flips in the headers of keys give an error or keys the server refuses; never a crash")
    func keyFlips() throws {
        let clientKeys = try Self.circuit.keys.serialized(), evaluationKeys = try Self.circuit.evaluationKeys.serialized()
        let server = try Server(artifact: Self.circuit.server)
        let arguments = try Self.circuit.encrypt(3, 1)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var flipped = clientKeys
            flipped[Int.random(in: 0..<min(80, clientKeys.count), using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            if let keys = try? ClientKeys(serialized: flipped) {
                _ = try? Client(specs: Self.circuit.clientSpecs, keys: keys).decrypt(Self.circuit.run(arguments))
            }
        }
        for _ in 0..<30 {
            var flipped = evaluationKeys
            // the header and the parameter set (a flipped seed or body gives keys that compute garbage, like any ciphertext)
            flipped[Int.random(in: 0..<67, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            if let keys = try? EvaluationKeys(serialized: flipped) {
                #expect(throws: RuntimeError.self) { try server.run(arguments, evaluationKeys: keys) }
            }
        }
    }

    /// A small fuzzer: random bodies behind each valid header, so that decoding gets past the
    /// magic bytes and exercises every field reader.
    @Test("random bytes behind valid headers are rejected, never a crash")
    func randomBodies() throws {
        let samples = [Self.circuit.server.serialized(), try Self.circuit.keys.serialized(),
                       Self.circuit.clientSpecs.serialized(), try Self.circuit.encrypt(2, 2).serialized()]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            for sample in samples {
                let kept = Int.random(in: 23...min(sample.count, 120), using: &generator)
                let tail = (0..<Int.random(in: 0..<200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let data = sample.prefix(kept) + tail
                _ = try? ServerArtifact(serialized: data)
                _ = try? ClientKeys(serialized: data)
                _ = try? ClientSpecs(serialized: data)
                _ = try? EncryptedArguments(serialized: data)
                _ = try? EncryptedResult(serialized: data)
            }
        }
    }
}
