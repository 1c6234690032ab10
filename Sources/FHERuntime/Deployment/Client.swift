import FHEProgram
import Foundation
import TFHE

/// The client side of a deployed circuit: it makes the keys, encrypts arguments and decrypts
/// results. Its secret keys never leave it except through `keys.serialized()`.
///
/// The specs come from the server, which may be hostile: before any key is made, anything is
/// encrypted or anything is decrypted, they are checked against the client's `ClientPolicy`
/// (security level, key and ciphertext sizes), and every result is checked against the specs
/// (shape, count, dimension) before it is expanded or decrypted.
public final class Client: @unchecked Sendable {
    // The keys are set by keygen() under the lock; the specs are immutable.
    /// What the client knows of the circuit.
    public let specs: ClientSpecs
    /// What the client accepts of specs.
    public let policy: ClientPolicy
    /// Why the specs are refused (nil when the policy accepts them): thrown by every method.
    private let refusal: RuntimeError?
    private let lock = NSLock()
    private var secret: ClientKeys?
    private var evaluation: EvaluationKeys?

    /// A client without keys: call `keygen()`, or give saved keys to `init(specs:keys:)`.
    /// Specs that `policy` refuses make every later call throw `RuntimeError.untrustedSpecs`.
    public init(specs: ClientSpecs, policy: ClientPolicy = ClientPolicy()) {
        self.specs = specs
        self.policy = policy
        refusal = policy.refusal(of: specs)
    }

    /// A client with keys saved earlier (`keys.serialized()`). Keys of another circuit are
    /// refused when used.
    public convenience init(specs: ClientSpecs, keys: ClientKeys, policy: ClientPolicy = ClientPolicy()) {
        self.init(specs: specs, policy: policy)
        secret = keys
    }

    /// Generates new secret keys (system CSPRNG) and the evaluation keys, in seeded form.
    /// - Throws: `RuntimeError.untrustedSpecs` for specs the policy refuses (an insecure
    ///   parameter set, keys over the size limit).
    public func keygen() throws { try keygen(from: .fresh) }

    /// The same keys for the same seed, for reproducible tests and benchmarks.
    /// NOT SECURE: anyone who knows the seed can recompute the secret keys.
    public func keygen(seed: UInt64) throws { try keygen(from: .insecureReproducible(seed)) }

    private func keygen(from seed: KeySeed) throws {
        if let refusal { throw refusal }
        let secretKeys = try SecretKeys(parameters: specs.parameters, seed: seed)
        var generator = try seed.generator(purpose: Self.keyIDPurpose)
        let keys = ClientKeys(secretKeys: secretKeys, specsFingerprint: specs.fingerprint, keyID: generator.next())
        let evaluationKeys = try makeEvaluationKeys(keys, seed: seed)
        lock.withLock { (secret, evaluation) = (keys, evaluationKeys) }
    }

    /// The seed purpose of the key identifier (TFHE's keys use 1 to 4).
    private static let keyIDPurpose: UInt64 = 100

    private func makeEvaluationKeys(_ keys: ClientKeys, seed: KeySeed) throws -> EvaluationKeys {
        EvaluationKeys(compressed: try CompressedServerKey(secretKeys: keys.secretKeys, seed: seed),
                       circuitKey: try specs.wideLookup.map { try CompressedCircuitBootstrapKey(secretKeys: keys.secretKeys, wide: $0, seed: seed) },
                       specsFingerprint: keys.specsFingerprint, keyID: keys.keyID)
    }

    /// The secret keys, to save with `serialized()`.
    /// - Throws: `RuntimeError.noKeys` before keygen().
    public var keys: ClientKeys {
        get throws {
            guard let secret = lock.withLock({ secret }) else { throw RuntimeError.noKeys }
            return secret
        }
    }

    /// The evaluation keys for the server (made by keygen(), or with fresh randomness on first
    /// use by a client given saved keys: any evaluation keys of the same secret keys work).
    /// - Throws: `RuntimeError.noKeys` before keygen().
    public var evaluationKeys: EvaluationKeys {
        get throws {
            let keys = try checkedKeys()
            return try lock.withLock {
                if let evaluation { return evaluation }
                let made = try makeEvaluationKeys(keys, seed: .fresh)
                evaluation = made
                return made
            }
        }
    }

    private func checkedKeys() throws -> ClientKeys {
        if let refusal { throw refusal }
        let keys = try self.keys
        guard keys.specsFingerprint == specs.fingerprint else {
            throw RuntimeError.mismatch("the client keys were made for another circuit or parameter set")
        }
        return keys
    }

    /// Encrypts the encrypted arguments (fresh seeded ciphertexts); clear ones stay clear.
    /// - Throws: `RuntimeError.argument` for arguments outside the circuit's types
    ///   ("expected EncryptedScalar<uint4>, got 17"), `RuntimeError.noKeys` before keygen().
    public func encrypt(_ arguments: Tensor...) throws -> EncryptedArguments { try encrypt(arguments: arguments) }

    /// `encrypt` with an array of arguments.
    public func encrypt(arguments: [Tensor]) throws -> EncryptedArguments {
        try specs.validate(arguments: arguments)
        let keys = try checkedKeys()
        let key = keys.secretKeys.bigLWEKey, noise = specs.parameters.glweNoiseStd
        let values = try zip(specs.arguments, arguments).map { spec, argument -> RuntimeValue in
            guard spec.isEncrypted else { return .clear(argument) }
            return .seeded(shape: argument.shape,
                           ciphertexts: try key.encryptSeeded(plaintexts: argument.elements.map(spec.type.plaintext), noiseStd: noise))
        }
        return EncryptedArguments(values: values, specsFingerprint: specs.fingerprint, keyID: keys.keyID)
    }

    /// Decrypts a result of the server.
    /// - Throws: `RuntimeError.mismatch` for a result of another circuit or other keys.
    public func decrypt(_ result: EncryptedResult) throws -> Tensor {
        let keys = try checkedKeys()
        guard result.specsFingerprint == specs.fingerprint else {
            throw RuntimeError.mismatch("the result was made for another circuit or parameter set")
        }
        guard result.keyID == keys.keyID else { throw RuntimeError.mismatch(DeserializationError.wrongKey.description) }
        let spec = specs.result
        guard result.value.shape == spec.shape else {
            throw RuntimeError.mismatch("the result has shape \(result.value.shape), the circuit's has \(spec.shape)")
        }
        let key = keys.secretKeys.bigLWEKey, count = Tensor.elementCount(of: spec.shape)
        func decode(_ phase: UInt64) -> Int64 { spec.type.decode(spec.type.encoding(ofPhase: phase)) }
        let elements: [Int64]
        switch result.value {
        case let .clear(tensor):
            guard !spec.isEncrypted, spec.accepts(tensor) else { throw RuntimeError.mismatch("the result does not match \(spec.description)") }
            return tensor
        case let .encrypted(_, ciphertexts):
            guard spec.isEncrypted, ciphertexts.count == count, ciphertexts.dimension == key.dimension else {
                throw RuntimeError.mismatch("the result does not match \(spec.description)")
            }
            elements = try (0..<count).map { decode(try key.phase(of: ciphertexts[$0])) }
        case let .seeded(_, seeded):
            // Checked before any mask is regenerated; then expanded one ciphertext at a time.
            guard spec.isEncrypted, seeded.bodies.count == count, seeded.dimension == key.dimension else {
                throw RuntimeError.mismatch("the result does not match \(spec.description) (dimension \(seeded.dimension))")
            }
            elements = try seeded.phases(under: key).map(decode)
        }
        return Tensor(int64: elements, shape: spec.shape)
    }
}

extension ClientSpecs {
    /// Checks arguments against the circuit's types.
    /// - Throws: `RuntimeError.argument` ("expected EncryptedScalar<uint4>, got 17").
    func validate(arguments: [Tensor]) throws {
        guard arguments.count == self.arguments.count else {
            throw RuntimeError.argument("expected \(self.arguments.count) arguments, got \(arguments.count)")
        }
        for (argument, spec) in zip(arguments, self.arguments) where !spec.accepts(argument) {
            throw RuntimeError.argument("expected \(spec.description), got \(argument)")
        }
    }
}

extension ClientSpecs.Value: CustomStringConvertible {
    /// `EncryptedScalar<uint4>`, `ClearTensor<int5, shape=(2, 3)>`.
    public var description: String { type.description(shape: shape, isEncrypted: isEncrypted) }

    /// Whether a clear tensor is a value of this type and shape.
    func accepts(_ tensor: Tensor) -> Bool { tensor.shape == shape && tensor.elements.allSatisfy(type.contains) }
}
