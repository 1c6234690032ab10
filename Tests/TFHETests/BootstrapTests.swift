import FHEParameters
import Testing
@testable import TFHE

/// Keys are expensive: one set per parameter set, shared by the tests of this file.
final class KeyCache: @unchecked Sendable {
    static let shared = KeyCache()
    private var cache: [ParameterSet: (SecretKeys, ServerKey)] = [:]
    private let lock = NSLockish()

    func keys(for parameters: ParameterSet) throws -> (SecretKeys, ServerKey) {
        try lock.withLock {
            if let keys = cache[parameters] { return keys }
            let secretKeys = SecretKeys(parameters: parameters)
            let keys = (secretKeys, try ServerKey(secretKeys: secretKeys))
            cache[parameters] = keys
            return keys
        }
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

    @Test("PBS alone applies the table", arguments: [ParameterSet.concrete4Bit])
    func bootstrapAlone(parameters: ParameterSet) throws {
        let (secretKeys, serverKey) = try KeyCache.shared.keys(for: parameters)
        let encoding = try MessageEncoding(bits: 4)
        let table = try LookupTable(inputBits: 4) { ($0 * $0) % 13 }
        let testPolynomial = try serverKey.testPolynomial(for: table)
        let messages = Array(0..<16)
        let inputs = try messages.map {
            try secretKeys.lweKey.encrypt(plaintext: encoding.encode($0), noiseStd: parameters.lweNoiseStd)
        }
        let outputs = try serverKey.bootstrap(inputs, testPolynomials: [testPolynomial])
        for (message, ciphertext) in zip(messages, outputs) {
            #expect(try secretKeys.decrypt(ciphertext, encoding: encoding) == table[message], "message \(message)")
        }
    }
}
