import FHEParameters
import FHEProgram
import Foundation

/// What a client accepts of the specs a server sends. The server chooses the parameter set, so a
/// hostile one could choose a set under which the evaluation keys and the arguments reveal the
/// secret key (a tiny dimension, a noise far below the security curve), or sizes that exhaust the
/// client's memory. The client checks the specs against its policy before it makes a key,
/// encrypts or decrypts anything.
public struct ClientPolicy: Sendable, Equatable {
    /// The lowest security level the parameter set must reach: both key noises on or above the
    /// level's curve for their dimensions (n for the small key, kN for the big one).
    public var minimumSecurityLevel: SecurityLevel
    /// The most memory the keys may take at keygen: the secret keys and the seeded evaluation
    /// keys the client sends (circuit bootstrapping keys included).
    public var maximumKeyBytes: Int
    /// The most memory any one argument or result may take once expanded: elements × (kN + 1) words.
    public var maximumCiphertextBytes: Int

    /// 128 bits, 4 GiB of keys (the largest sets the compiler chooses need about 1.1 GB), 1 GiB per
    /// argument or result.
    public init(minimumSecurityLevel: SecurityLevel = .bits128, maximumKeyBytes: Int = 4 << 30,
                maximumCiphertextBytes: Int = 1 << 30) {
        self.minimumSecurityLevel = minimumSecurityLevel
        self.maximumKeyBytes = maximumKeyBytes
        self.maximumCiphertextBytes = maximumCiphertextBytes
    }

    /// Why `specs` are refused, or nil when they are accepted.
    func refusal(of specs: ClientSpecs) -> RuntimeError? {
        let p = specs.parameters
        let small = minimumSecurityLevel.isSecure(dimension: p.lweDimension, noiseStd: p.lweNoiseStd)
        let big = minimumSecurityLevel.isSecure(dimension: p.bigLWEDimension, noiseStd: p.glweNoiseStd)
        if !small || !big {
            let (dimension, noise) = small ? (p.bigLWEDimension, p.glweNoiseStd) : (p.lweDimension, p.lweNoiseStd)
            let reached = p.securityLevel.map { "reaches only \($0)" } ?? "is below the 128-bit curve"
            return .untrustedSpecs("the server's parameter set \(reached) security, under the client's minimum of "
                + "\(minimumSecurityLevel): a key of dimension \(dimension) needs a noise of at least "
                + "2^\(formatted(minimumSecurityLevel.minimumNoiseLog2Std(dimension: dimension))), the specs give "
                + "2^\(formatted(log2(noise))). Refuse this server, or lower ClientPolicy.minimumSecurityLevel "
                + "if you trust it")
        }
        let keyBytes = Double(p.seededBootstrapKeyBytes) + Double(p.seededKeyswitchKeyBytes)
            + 8 * Double(p.lweDimension + p.bigLWEDimension) + Double(specs.wideLookup?.seededCircuitKeyBytes(p) ?? 0)
        if keyBytes > Double(maximumKeyBytes) {
            return .untrustedSpecs("the server's parameter set needs \(bytes(keyBytes)) of keys, more than the client's limit "
                + "of \(bytes(Double(maximumKeyBytes))): raise ClientPolicy.maximumKeyBytes if this is expected")
        }
        let ciphertextBytes = 8 * Double(p.bigLWESize)
        for value in specs.arguments + [specs.result] where value.isEncrypted {
            let needed = Double(Tensor.elementCount(of: value.shape)) * ciphertextBytes
            if needed > Double(maximumCiphertextBytes) {
                return .untrustedSpecs("\(value.description) takes \(bytes(needed)) encrypted, more than the client's limit of "
                    + "\(bytes(Double(maximumCiphertextBytes))): raise ClientPolicy.maximumCiphertextBytes if this is expected")
            }
        }
        return nil
    }

    private func formatted(_ value: Double) -> String { String(format: "%.2f", value) }
}
