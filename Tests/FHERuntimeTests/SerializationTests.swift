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
