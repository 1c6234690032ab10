import FHECompiler
import FHEParameters
import Foundation
import TFHE

/// A compiled circuit, its keys once generated, and the ways to run it: in the clear
/// (`simulate`) or in FHE (`keygen`, `encrypt`, `run`, `decrypt`).
public final class Circuit: @unchecked Sendable {
    // The keys are set once by keygen() under the lock; everything else is immutable.
    /// The compiled program: Program, types, parameters.
    public let compiled: CompiledProgram
    private let lock = NSLock()
    private var keys: (secret: SecretKeys, runner: ProgramRunner)?

    /// What a client needs: parameters and the arguments' and result's types.
    public let clientSpecs: ClientSpecs

    init(compiled: CompiledProgram) {
        self.compiled = compiled
        clientSpecs = ClientSpecs(compiled: compiled)
    }

    /// The op-graph, each node with its type, bit-width and bounds.
    public var graph: String { compiled.graph }

    /// Runs the circuit in the clear with the FHE encoding (the virtual library).
    public func simulate(_ arguments: Tensor...) throws -> Tensor { try compiled.simulate(arguments: arguments) }
    /// `simulate` with an array of arguments.
    public func simulate(arguments: [Tensor]) throws -> Tensor { try compiled.simulate(arguments: arguments) }

    /// Generates the secret keys (system CSPRNG) and the evaluation keys, and prepares every
    /// lookup's test polynomial. Cost: about 0.15 s at 4-bit parameters, 4 s at 8 bits.
    public func keygen() throws { try keygen(from: .fresh) }

    /// Generates the same keys for the same seed, for reproducible tests and benchmarks.
    /// NOT SECURE: anyone who knows the seed can recompute the secret keys.
    public func keygen(seed: UInt64) throws { try keygen(from: .insecureReproducible(seed)) }

    private func keygen(from seed: KeySeed) throws {
        let secretKeys = try SecretKeys(parameters: compiled.parameters, seed: seed)
        let runner = try ProgramRunner(compiled: compiled, serverKey: ServerKey(secretKeys: secretKeys, seed: seed))
        lock.withLock { keys = (secretKeys, runner) }
    }

    private func requireKeys() throws -> (secret: SecretKeys, runner: ProgramRunner) {
        guard let keys = lock.withLock({ keys }) else { throw RuntimeError.noKeys }
        return keys
    }

    /// Encrypts the encrypted arguments under the circuit's keys; clear ones stay clear.
    /// - Throws: `CompilationError.argument` for arguments outside the compiled types,
    ///   `RuntimeError.noKeys` before keygen().
    public func encrypt(_ arguments: Tensor...) throws -> EncryptedArguments { try encrypt(arguments: arguments) }

    /// `encrypt` with an array of arguments.
    public func encrypt(arguments: [Tensor]) throws -> EncryptedArguments {
        try compiled.validate(arguments: arguments)
        let secret = try requireKeys().secret
        let key = secret.bigLWEKey, noise = secret.parameters.glweNoiseStd
        let values = try zip(compiled.program.arguments, arguments).map { register, argument -> RuntimeValue in
            guard compiled.program.registers[register].isEncrypted else { return .clear(argument) }
            let type = compiled.registerTypes[register]!
            return .encrypted(shape: argument.shape,
                              ciphertexts: try key.encrypt(plaintexts: argument.elements.map(type.plaintext), noiseStd: noise))
        }
        return EncryptedArguments(values: values, specsFingerprint: clientSpecs.fingerprint)
    }

    /// Runs the program on encrypted arguments with the evaluation keys.
    /// - Throws: `RuntimeError` for arguments of another circuit or before keygen().
    public func run(_ arguments: EncryptedArguments, threads: Int? = nil) throws -> EncryptedResult {
        let runner = try requireKeys().runner
        try check(arguments)
        return EncryptedResult(value: try runner.run(arguments.values, threads: threads), specsFingerprint: clientSpecs.fingerprint)
    }

    /// Checks that arguments were made for this circuit and match its specs.
    private func check(_ arguments: EncryptedArguments) throws {
        guard arguments.specsFingerprint == clientSpecs.fingerprint else {
            throw RuntimeError.mismatch("the arguments were made for another circuit or parameter set")
        }
        guard arguments.values.count == clientSpecs.arguments.count else {
            throw RuntimeError.mismatch("expected \(clientSpecs.arguments.count) arguments, got \(arguments.values.count)")
        }
        for (position, (value, spec)) in zip(arguments.values, clientSpecs.arguments).enumerated() {
            switch value {
            case let .clear(tensor) where !spec.isEncrypted && tensor.shape == spec.shape && tensor.elements.allSatisfy(spec.type.contains):
                continue
            case let .encrypted(shape, ciphertexts) where spec.isEncrypted && shape == spec.shape
                && ciphertexts.allSatisfy({ $0.dimension == clientSpecs.parameters.bigLWEDimension }):
                continue
            default:
                throw RuntimeError.mismatch("argument \(position) does not match \(compiled.typeDescription(ofRegister: compiled.program.arguments[position]))")
            }
        }
    }

    /// Decrypts a result with the circuit's secret keys.
    public func decrypt(_ result: EncryptedResult) throws -> Tensor {
        let secret = try requireKeys().secret
        guard result.specsFingerprint == clientSpecs.fingerprint else {
            throw RuntimeError.mismatch("the result was made for another circuit or parameter set")
        }
        let register = compiled.program.result
        switch result.value {
        case let .clear(tensor): return tensor
        case let .encrypted(shape, ciphertexts):
            guard shape == clientSpecs.result.shape, ciphertexts.count == Tensor.elementCount(of: shape) else {
                throw RuntimeError.mismatch("the result has shape \(shape), the circuit's has \(clientSpecs.result.shape)")
            }
            let type = compiled.registerTypes[register]!
            let elements = try ciphertexts.map { type.decode(type.encoding(ofPhase: try secret.bigLWEKey.phase(of: $0))) }
            return Tensor(int64: elements, shape: shape)
        }
    }

    /// encrypt, run and decrypt in one call.
    public func encryptRunDecrypt(_ arguments: Tensor...) throws -> Tensor { try encryptRunDecrypt(arguments: arguments) }

    /// `encryptRunDecrypt` with an array of arguments.
    public func encryptRunDecrypt(arguments: [Tensor]) throws -> Tensor {
        try decrypt(run(encrypt(arguments: arguments)))
    }

    /// What one run costs and how reliable it is.
    public var statistics: Statistics {
        let parameters = compiled.parameters
        let count = compiled.lookupCount
        let variance = NoiseModel.tluInputVariance(parameters, norm2: compiled.maxNorm2)
        let perLookup = NoiseModel.failureProbability(bits: compiled.maxBitWidth, variance: variance)
        return Statistics(programmableBootstrapCount: count, keySwitchCount: count, parameters: parameters,
                          bootstrapKeyBytes: parameters.bootstrapKeyBytes, keySwitchKeyBytes: parameters.keyswitchKeyBytes,
                          pError: perLookup, globalPError: NoiseModel.failureProbability(perLookup: perLookup, count: count),
                          maxBitWidth: compiled.maxBitWidth)
    }
}

/// The cost and reliability of one run of a circuit.
public struct Statistics: Sendable {
    /// Programmable bootstraps per run (one per element of every lookup).
    public let programmableBootstrapCount: Int
    /// Keyswitches per run (one before each PBS).
    public let keySwitchCount: Int
    /// The parameter set.
    public let parameters: ParameterSet
    /// Bytes of the bootstrapping key (Fourier form, in memory).
    public let bootstrapKeyBytes: Int
    /// Bytes of the keyswitching key.
    public let keySwitchKeyBytes: Int
    /// Predicted failure probability of one lookup (the widest, at the largest 2-norm).
    public let pError: Double
    /// Predicted probability that any lookup of a run fails.
    public let globalPError: Double
    /// The widest lookup input, in bits.
    public let maxBitWidth: Int
}

extension Compiler {
    /// Compiles the function into a circuit: see `compileProgram(inputset:configuration:)`.
    public func compile(inputset: [[Tensor]], configuration: Configuration = Configuration()) throws -> Circuit {
        Circuit(compiled: try compileProgram(inputset: inputset, configuration: configuration))
    }
}
