import CTFHE
import FHEParameters
import Testing
@testable import TFHE

@Suite("Seeded (compressed) evaluation keys")
struct CompressedServerKeyTests {
    static let parameters = ParameterSet.concrete4Bit

    @Test("expanding the seeded keys gives exactly the keys made from the same seeds")
    func expansionMatchesDirectGeneration() throws {
        let secretKeys = try SecretKeys(parameters: Self.parameters, seed: .insecureReproducible(7))
        let direct = try ServerKey(secretKeys: secretKeys, seed: .insecureReproducible(7))
        let compressed = try CompressedServerKey(secretKeys: secretKeys, seed: .insecureReproducible(7))
        let expanded = try compressed.expanded()

        #expect(Array(direct.keyswitchKey.words) == Array(expanded.keyswitchKey.words))
        var kernel = Self.parameters.kernelParameters
        let doubles = ctfhe_bootstrap_key_byte_count(&kernel) / 8
        let directGGSWs = UnsafeBufferPointer(start: ctfhe_bootstrap_key_ggsw(direct.bootstrapKey.handle, 0), count: doubles)
        let expandedGGSWs = UnsafeBufferPointer(start: ctfhe_bootstrap_key_ggsw(expanded.bootstrapKey.handle, 0), count: doubles)
        #expect(directGGSWs.elementsEqual(expandedGGSWs))
    }

    @Test("the seeded keys are the body words only, and a fresh key differs")
    func sizes() throws {
        let secretKeys = SecretKeys(parameters: Self.parameters)
        let first = try CompressedServerKey(secretKeys: secretKeys), second = try CompressedServerKey(secretKeys: secretKeys)
        let p = Self.parameters
        #expect(first.bootstrapBodies.count == p.lweDimension * (p.glweDimension + 1) * p.pbsLevelCount * p.polynomialSize)
        #expect(first.keyswitchBodies.count == p.bigLWEDimension * p.ksLevelCount)
        #expect(first.byteCount == p.seededBootstrapKeyBytes + p.seededKeyswitchKeyBytes + 32)
        #expect(first.bootstrapMaskSeed != second.bootstrapMaskSeed)
        #expect(first.keyswitchMaskSeed != second.keyswitchMaskSeed)
    }

    @Test("an expanded key bootstraps every 4-bit message")
    func expandedKeyBootstraps() throws {
        let secretKeys = SecretKeys(parameters: Self.parameters)
        let serverKey = try CompressedServerKey(secretKeys: secretKeys).expanded()
        let encoding = try MessageEncoding(bits: 4)
        let table = try PBSTable(inputBits: 4) { ($0 * 3 + 1) % 16 }
        let messages = Array(0..<16)
        let outputs = try serverKey.applyLookupTable(try secretKeys.encrypt(messages, encoding: encoding),
                                                     try serverKey.testPolynomial(for: table))
        for (message, output) in zip(messages, outputs) {
            #expect(try secretKeys.decrypt(output, encoding: encoding) == table[message], "message \(message)")
        }
    }

    @Test("bodies of the wrong length are refused")
    func wrongLengths() throws {
        let seed = [UInt8](repeating: 1, count: 16)
        #expect(throws: TFHEError.self) {
            try CompressedServerKey(parameters: Self.parameters, bootstrapMaskSeed: seed, bootstrapBodies: [1, 2],
                                    keyswitchMaskSeed: seed, keyswitchBodies: [])
        }
        #expect(throws: TFHEError.self) {
            try CompressedServerKey(parameters: Self.parameters, bootstrapMaskSeed: [1], bootstrapBodies: [],
                                    keyswitchMaskSeed: seed, keyswitchBodies: [])
        }
    }
}

@Suite("Seeded fresh ciphertexts")
struct SeededCiphertextTests {
    @Test("seeded encryptions expand into ciphertexts that decrypt to every message")
    func roundTrip() throws {
        let keys = SecretKeys(parameters: .concrete4Bit)
        let encoding = try MessageEncoding(bits: 4)
        let messages = Array(0..<16)
        let seeded = try keys.bigLWEKey.encryptSeeded(plaintexts: messages.map(encoding.encode),
                                                      noiseStd: keys.parameters.glweNoiseStd)
        #expect(seeded.bodies.count == 16 && seeded.dimension == keys.parameters.bigLWEDimension)
        let expanded = try seeded.expanded()
        #expect(try expanded.ciphertexts.map { try keys.decrypt($0, encoding: encoding) } == messages)
        #expect(try seeded.expanded() == expanded)
        let other = try keys.bigLWEKey.encryptSeeded(plaintexts: [0], noiseStd: keys.parameters.glweNoiseStd)
        #expect(other.maskSeed != seeded.maskSeed)
    }

    @Test("a seed of the wrong length is refused")
    func wrongSeed() {
        #expect(throws: TFHEError.self) { try SeededLWECiphertexts(dimension: 4, maskSeed: [1, 2], bodies: [0]) }
        #expect(throws: TFHEError.self) { try SeededLWECiphertexts(dimension: 0, maskSeed: .init(repeating: 0, count: 16), bodies: []) }
    }
}
