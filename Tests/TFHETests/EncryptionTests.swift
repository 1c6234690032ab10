import FHEParameters
import Foundation
import Testing
@testable import TFHE

@Suite("Encryption, encoding and levelled operations")
struct EncryptionTests {
    @Test("encrypt then decrypt is exact for every message", arguments: 1...8)
    func roundTrip(bits: Int) throws {
        let keys = SecretKeys(parameters: .concrete4Bit)
        let encoding = try MessageEncoding(bits: bits)
        let messages = Array(0..<encoding.messageCount)
        let ciphertexts = try keys.encrypt(messages, encoding: encoding)
        #expect(try ciphertexts.map { try keys.decrypt($0, encoding: encoding) } == messages)
        // Under the small key, with its larger noise.
        for message in messages {
            let ciphertext = try keys.lweKey.encrypt(plaintext: encoding.encode(message), noiseStd: keys.parameters.lweNoiseStd)
            #expect(try keys.lweKey.decrypt(ciphertext, encoding: encoding) == message)
        }
    }

    @Test("levelled operations: add, subtract, negate, add a constant, multiply by a clear integer")
    func levelled() throws {
        let keys = SecretKeys(parameters: .concrete4Bit)
        let encoding = try MessageEncoding(bits: 4)
        let modulus = encoding.messageCount
        func decrypt(_ c: LWECiphertext) throws -> Int { try keys.decrypt(c, encoding: encoding) }
        for (x, y) in [(3, 4), (7, 9), (15, 1), (0, 0), (5, 12)] {
            let a = try keys.encrypt(x, encoding: encoding), b = try keys.encrypt(y, encoding: encoding)
            #expect(try decrypt(a.adding(b)) == (x + y) % modulus)
            #expect(try decrypt(a.subtracting(b)) == ((x - y) % modulus + modulus) % modulus)
            #expect(try decrypt(a.negated()) == (modulus - x) % modulus)
            #expect(try decrypt(a.adding(plaintext: encoding.encode(6))) == (x + 6) % modulus)
            #expect(try decrypt(a.multiplied(by: 3)) == (3 * x) % modulus)
            #expect(try decrypt(a.multiplied(by: -2)) == ((-2 * x) % modulus + modulus) % modulus)
            var c = a
            try c.add(b)
            c.multiply(by: 2)
            try c.subtract(a)
            #expect(try decrypt(c) == (x + 2 * y) % modulus)
        }
    }

    @Test("secret keys are never printed")
    func keysAreNotPrinted() {
        let keys = SecretKeys(parameters: .concrete4Bit)
        #expect(String(describing: keys.lweKey) == "LWESecretKey(dimension: 822)")
        #expect(!String(describing: keys).contains("0, 1"))
        #expect(String(describing: keys.glweKey) == "GLWESecretKey(glweDimension: 2, polynomialSize: 1024)")
    }

    @Test("keys are random: two draws differ")
    func keysDiffer() {
        let a = LWESecretKey(dimension: 822), b = LWESecretKey(dimension: 822)
        #expect(Array(a.storage.words) != Array(b.storage.words))
        let ones = a.storage.words.reduce(0, +)
        #expect(ones > 300 && ones < 522)   // binomial(822, 1/2): 10 standard deviations
    }

    @Test("message encodings outside 1…16 bits are rejected")
    func encodingRange() {
        #expect(throws: TFHEError.self) { try MessageEncoding(bits: 0) }
        #expect(throws: TFHEError.self) { try MessageEncoding(bits: 17) }
        #expect(throws: TFHEError.self) { try PBSTable(entries: [1, 2, 3]) }
    }
}
