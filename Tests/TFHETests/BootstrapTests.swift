import FHEOptimizer
import FHEParameters
import Foundation
import Testing
import TestSupport
@testable import TFHE

/// Keys are expensive: one set per parameter set, shared by every test of the target.
final class KeyCache: @unchecked Sendable {
    static let shared = KeyCache()
    private var cache: [ParameterSet: (SecretKeys, ServerKey)] = [:]
    private let lock = NSLock()

    func keys(for parameters: ParameterSet) throws -> (SecretKeys, ServerKey) {
        lock.lock()
        defer { lock.unlock() }
        if let keys = cache[parameters] { return keys }
        let secretKeys = SecretKeys(parameters: parameters)
        let keys = (secretKeys, try ServerKey(secretKeys: secretKeys))
        cache[parameters] = keys
        return keys
    }
}

@Suite("Keyswitch and PBS")
struct BootstrapTests {
    @Test("keyswitch alone keeps every message", arguments: [ParameterSet.concrete4Bit])
    func keyswitchAlone(parameters: ParameterSet) throws {
        let (secretKeys, serverKey) = try KeyCache.shared.keys(for: parameters)
        let encoding = try MessageEncoding(bits: 4)
        let messages = Array(0..<16)
        let switched = try serverKey.keyswitch(try secretKeys.encrypt(messages, encoding: encoding))
        for (message, ciphertext) in zip(messages, switched) {
            #expect(ciphertext.dimension == parameters.lweDimension)
            #expect(try secretKeys.lweKey.decrypt(ciphertext, encoding: encoding) == message)
        }
    }

    /// Every input of an identity table and of a random table, for the optimizer's set of each
    /// precision at a failure probability of 10⁻⁹ per lookup (with 2·2^p lookups per precision
    /// the test fails spuriously with probability below 10⁻⁶).
    @Test("KS + PBS applies identity and random tables on every input", arguments: 1...6)
    func everyInput(bits: Int) throws {
        let parameters = try Optimizer.optimize(bits: bits, target: .perLookup(1e-9)).parameters
        let (secretKeys, serverKey) = try KeyCache.shared.keys(for: parameters)
        let encoding = try MessageEncoding(bits: bits)
        var generator = TestGenerator(seed: UInt64(bits))
        let random = try PBSTable(inputBits: bits) { _ in Int.random(in: 0..<encoding.messageCount, using: &generator) }
        let messages = Array(0..<encoding.messageCount)
        let inputs = try secretKeys.encrypt(messages + messages, encoding: encoding)
        let tables = [try PBSTable.identity(bits: bits), random]
        let testPolynomials = try tables.flatMap { table in
            try Array(repeating: serverKey.testPolynomial(for: table), count: messages.count)
        }
        let outputs = try serverKey.applyLookupTables(inputs, testPolynomials)
        for (index, output) in outputs.enumerated() {
            let table = tables[index / messages.count], message = messages[index % messages.count]
            #expect(try secretKeys.decrypt(output, encoding: encoding) == table[message], "message \(message)")
        }
    }

    @Test("a table may change the width: 3-bit inputs to 5-bit outputs")
    func widthChange() throws {
        let (secretKeys, serverKey) = try KeyCache.shared.keys(for: .concrete4Bit)
        let table = try PBSTable(inputBits: 3, outputBits: 5) { 4 * $0 + 1 }
        let input = try MessageEncoding(bits: 3), output = try MessageEncoding(bits: 5)
        let results = try serverKey.applyLookupTable(try secretKeys.encrypt(Array(0..<8), encoding: input),
                                                     try serverKey.testPolynomial(for: table))
        #expect(try results.map { try secretKeys.decrypt($0, encoding: output) } == (0..<8).map { 4 * $0 + 1 })
    }

    @Test("batched equals one by one, and 1 thread equals 2 threads bit for bit")
    func batchingIsExact() throws {
        let (secretKeys, serverKey) = try KeyCache.shared.keys(for: .concrete4Bit)
        let encoding = try MessageEncoding(bits: 4)
        let testPolynomial = try serverKey.testPolynomial(for: PBSTable(inputBits: 4) { ($0 * 7 + 3) % 16 })
        let inputs = try secretKeys.encrypt((0..<20).map { $0 % 16 }, encoding: encoding)
        let oneThread = try serverKey.applyLookupTable(inputs, testPolynomial, threads: 1)
        let twoThreads = try serverKey.applyLookupTable(inputs, testPolynomial, threads: 2)
        let oneByOne = try inputs.map { try serverKey.applyLookupTable($0, testPolynomial) }
        #expect(oneThread == twoThreads)
        #expect(oneThread == oneByOne)
        let switchedOne = try serverKey.keyswitch(inputs, threads: 1)
        #expect(switchedOne == (try serverKey.keyswitch(inputs, threads: 2)))
        let bootstrapped = try serverKey.bootstrap(switchedOne, testPolynomials: [testPolynomial], threads: 2)
        #expect(bootstrapped == oneThread)
    }

    @Test("one lookup shared by two threads (k = 1, N = 4096, ℓ = 2) equals one thread bit for bit")
    func splitRotationIsExact() throws {
        let parameters = try ParameterSet(lweDimension: 800, glweDimension: 1, polynomialSize: 4096, pbsBaseLog: 15,
                                          pbsLevelCount: 2, ksBaseLog: 4, ksLevelCount: 4)
        let secretKeys = SecretKeys(parameters: parameters)
        let serverKey = try ServerKey(secretKeys: secretKeys)
        let encoding = try MessageEncoding(bits: 4)
        let testPolynomial = try serverKey.testPolynomial(for: PBSTable(inputBits: 4) { ($0 * 11 + 2) % 16 })
        for message in [0, 9, 15] {
            let input = try secretKeys.encrypt([message], encoding: encoding)
            let oneThread = try serverKey.applyLookupTables(input, [testPolynomial], threads: 1)
            #expect(oneThread == (try serverKey.applyLookupTables(input, [testPolynomial], threads: 2)))
            #expect(try secretKeys.decrypt(oneThread[0], encoding: encoding) == (message * 11 + 2) % 16)
        }
    }

    @Test("mismatched dimensions and test polynomials throw clear errors")
    func mismatches() throws {
        let (secretKeys, serverKey) = try KeyCache.shared.keys(for: .concrete4Bit)
        let encoding = try MessageEncoding(bits: 4)
        let big = try secretKeys.encrypt(1, encoding: encoding)
        let small = try secretKeys.lweKey.encrypt(plaintext: encoding.encode(1), noiseStd: 1e-6)
        let testPolynomial = try serverKey.testPolynomial(for: .identity(bits: 4))
        #expect(throws: TFHEError.dimensionMismatch(operation: "table lookup", expected: 2048, actual: 822)) {
            try serverKey.applyLookupTable(small, testPolynomial)
        }
        #expect(throws: TFHEError.dimensionMismatch(operation: "bootstrap", expected: 822, actual: 2048)) {
            try serverKey.bootstrap([big], testPolynomials: [testPolynomial])
        }
        #expect(throws: TFHEError.self) { try serverKey.applyLookupTables([big, big, big], [testPolynomial, testPolynomial]) }
        #expect(throws: TFHEError.self) { try serverKey.testPolynomial(for: .identity(bits: 10)) }
        #expect(throws: TFHEError.dimensionMismatch(operation: "add", expected: 2048, actual: 822)) {
            try big.adding(small)
        }
        #expect(throws: TFHEError.dimensionMismatch(operation: "decrypt", expected: 822, actual: 2048)) {
            try secretKeys.lweKey.decrypt(big, encoding: encoding)
        }
        let message = String(describing: TFHEError.dimensionMismatch(operation: "add", expected: 2048, actual: 822))
        #expect(message.contains("expected a ciphertext of LWE dimension 2048, got 822"))
    }
}
