import FHEParameters
import Testing
@testable import TFHE

/// Flat ciphertext lists against the separate ciphertexts they hold: the same words for every
/// levelled operation, and the same batched lookups.
@Suite("LWE ciphertext lists")
struct LWECiphertextListTests {
    static var keys: SecretKeys { get throws { try KeyCache.shared.keys(for: .concrete4Bit).0 } }

    static func encrypted(_ messages: [Int]) throws -> [LWECiphertext] {
        try keys.encrypt(messages, encoding: MessageEncoding(bits: 4))
    }

    @Test("levelled operations on a list give the words of the same operations on each ciphertext")
    func levelledOperations() throws {
        let a = try Self.encrypted([1, 2, 3]), b = try Self.encrypted([4, 0, 7])
        let dimension = a[0].dimension
        var list = try LWECiphertextList(a, dimension: dimension)
        let other = try LWECiphertextList(b, dimension: dimension)
        #expect(list.count == 3 && list.lweSize == dimension + 1 && list.ciphertexts == a)
        try list.add(other)
        #expect(list.ciphertexts == (try zip(a, b).map { try $0.adding($1) }))
        try list.subtract(other)
        list.multiply(by: -3)
        list.add(plaintext: 1 << 58)
        list.negate()
        #expect(list.ciphertexts == a.map { $0.multiplied(by: -3).adding(plaintext: 1 << 58).negated() })
        var sums = LWECiphertextList(dimension: dimension, count: 1)
        sums.accumulate(0, other, 2, times: 5)
        sums.accumulate(0, other, 0)
        #expect(sums[0] == (try b[2].multiplied(by: 5).adding(b[0])))
        sums.append(contentsOf: other)
        #expect(sums.count == 4 && sums[3] == b[2])
        #expect(throws: TFHEError.self) { try list.add(LWECiphertextList(dimension: dimension, count: 2)) }
        #expect(throws: TFHEError.self) { try LWECiphertextList(dimension: dimension, words: [1, 2, 3]) }
        #expect(LWECiphertextList.trivial(plaintexts: [5], dimension: 2).words == [0, 0, 5])
    }

    @Test("a batched lookup of a list equals the lookup of separate ciphertexts, and decrypts right")
    func lookups() throws {
        let serverKey = try KeyCache.shared.keys(for: .concrete4Bit).1
        let encoding = try MessageEncoding(bits: 4)
        let table = try PBSTable(inputBits: 4, outputBits: 4) { ($0 * 3 + 1) % 16 }
        let test = try serverKey.testPolynomial(for: table)
        let messages = [0, 5, 9, 15]
        let ciphertexts = try Self.encrypted(messages)
        let list = try serverKey.applyLookupTable(LWECiphertextList(ciphertexts, dimension: ciphertexts[0].dimension), test, threads: 2)
        #expect(list.ciphertexts == (try serverKey.applyLookupTable(ciphertexts, test, threads: 1)))
        #expect(try list.ciphertexts.map { try Self.keys.decrypt($0, encoding: encoding) } == messages.map { ($0 * 3 + 1) % 16 })
    }
}
