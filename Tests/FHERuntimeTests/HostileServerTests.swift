import FHECompiler
import FHEParameters
@testable import FHEDeployment
import FHERuntime
import Foundation
import Testing
import TFHE

/// Objects forged by a hostile server, for the client: insecure or oversized specs, results of
/// the wrong dimension or count. The client refuses each before it makes a key, encrypts,
/// expands or decrypts anything.
@Suite("Hostile server objects")
struct HostileServerTests {
    /// Sets a server could send to read the client's plaintext: a dimension of 1, a noise of
    /// 10⁻³⁰ under the demo's dimensions, a big key whose noise is below the curve.
    static let insecureSets: [ParameterSet] = [
        try! ParameterSet(lweDimension: 1, glweDimension: 2, polynomialSize: 1024, pbsBaseLog: 23, pbsLevelCount: 1,
                          ksBaseLog: 5, ksLevelCount: 3, lweNoiseStd: 0.01),
        try! ParameterSet(lweDimension: 822, glweDimension: 2, polynomialSize: 1024, pbsBaseLog: 23, pbsLevelCount: 1,
                          ksBaseLog: 5, ksLevelCount: 3, lweNoiseStd: 1e-30),
        try! ParameterSet(lweDimension: 822, glweDimension: 1, polynomialSize: 256, pbsBaseLog: 23, pbsLevelCount: 1,
                          ksBaseLog: 5, ksLevelCount: 3, glweNoiseStd: 1e-12),
    ]

    @Test("specs below the 128-bit curve are refused by keygen, encrypt and decrypt, naming the security level",
          arguments: insecureSets)
    func insecureSpecs(_ parameters: ParameterSet) throws {
        let specs = try Forger.sentSpecs(parameters: parameters)
        #expect(specs.parameters.securityLevel == nil)
        let client = Client(specs: specs)
        let error = #expect(throws: RuntimeError.self) { try client.keygen() }
        guard case let .untrustedSpecs(message)? = error else { Issue.record("expected untrustedSpecs, got \(String(describing: error))"); return }
        #expect(message.contains("below the 128-bit curve") && message.contains("minimum of 128-bit"))
        #expect(throws: RuntimeError.self) { try client.keygen(seed: 1) }
        // Keys saved for these specs are of no use either.
        let saved = try Forger.client.keys
        let withKeys = Client(specs: specs, keys: saved)
        #expect(throws: RuntimeError.untrustedSpecs(message)) { try withKeys.encrypt(3) }
        #expect(throws: RuntimeError.untrustedSpecs(message)) { try withKeys.evaluationKeys }
    }

    @Test("a client can pin a higher level: 132-bit refuses a 128-bit set")
    func pinnedSecurityLevel() throws {
        #expect(ParameterSet.concrete4Bit.securityLevel == .bits128)
        let specs = Forger.specs(parameters: .concrete4Bit)
        #expect(throws: RuntimeError.self) { try Client(specs: specs, policy: ClientPolicy(minimumSecurityLevel: .bits132)).keygen(seed: 1) }
        #expect(throws: Never.self) { try Client(specs: specs).keygen(seed: 1) }
    }

    @Test("huge but valid parameters are refused before any allocation (they would need terabytes of keys)")
    func oversizedKeys() throws {
        let huge = try ParameterSet(lweDimension: 1 << 14, glweDimension: 16, polynomialSize: 1 << 17, pbsBaseLog: 1,
                                    pbsLevelCount: 64, ksBaseLog: 1, ksLevelCount: 64)
        #expect(huge.securityLevel != nil)
        let serialized = Forger.specs(parameters: huge).serialized()
        #expect(serialized.count < 200)
        let client = Client(specs: try ClientSpecs(serialized: serialized))
        let error = #expect(throws: RuntimeError.self) { try client.keygen() }
        #expect(error?.description.contains("TB of keys") == true)
        // The limit is the client's to set.
        let small = Client(specs: Forger.specs(), policy: ClientPolicy(maximumKeyBytes: 1 << 20))
        #expect(throws: RuntimeError.self) { try small.keygen(seed: 1) }
    }

    @Test("specs whose result would take more than the ciphertext limit are refused")
    func oversizedValues() throws {
        let client = Client(specs: Forger.specs(resultShape: [1 << 17]))   // 2^17 × 16 KB = 2.1 GB
        let error = #expect(throws: RuntimeError.self) { try client.keygen(seed: 1) }
        #expect(error?.description.contains("ClientPolicy.maximumCiphertextBytes") == true)
    }

    @Test("a seeded result of another dimension or count is refused before its masks are regenerated")
    func forgedResults() throws {
        let client = Forger.client, keyID = try client.keys.keyID
        let seed = [UInt8](repeating: 7, count: 16)
        func forged(dimension: Int, count: Int) throws -> EncryptedResult {
            let seeded = try SeededLWECiphertexts(dimension: dimension, maskSeed: seed, bodies: [UInt64](repeating: 0, count: count))
            return EncryptedResult(value: .seeded(shape: [], ciphertexts: seeded), specsFingerprint: client.specs.fingerprint, keyID: keyID)
        }
        // Through the wire: 104 bytes that would expand to 32 MB of masks.
        let data = try forged(dimension: 1 << 22, count: 1).serialized()
        #expect(data.count < 128)
        let wireError = #expect(throws: RuntimeError.self) { try client.decrypt(EncryptedResult(serialized: data)) }
        #expect(wireError?.description.contains("does not match EncryptedScalar<uint4> (dimension 4194304)") == true)
        // In memory (the wire form ties the count to the shape): too many or no ciphertexts.
        for count in [2, 0] {
            let error = #expect(throws: RuntimeError.self) { try client.decrypt(forged(dimension: 2048, count: count)) }
            #expect(error?.description.contains("does not match EncryptedScalar<uint4>") == true)
        }
        // A clear result where the specs say encrypted, or out of the type.
        for tensor in [Tensor(3), Tensor(99)] {
            let clear = EncryptedResult(value: .clear(tensor), specsFingerprint: client.specs.fingerprint, keyID: keyID)
            #expect(throws: RuntimeError.self) { try client.decrypt(clear) }
        }
    }

    @Test("seeded results decrypt one ciphertext at a time, like their expansion")
    func seededPhases() throws {
        let key = LWESecretKey(dimension: 64)
        let seeded = try key.encryptSeeded(plaintexts: [1 << 60, 3 << 60, 0], noiseStd: 1e-15)
        #expect(try seeded.phases(under: key) == seeded.expanded().ciphertexts.map { try key.phase(of: $0) })
        #expect(throws: TFHEError.self) { try seeded.phases(under: LWESecretKey(dimension: 65)) }
    }
}
