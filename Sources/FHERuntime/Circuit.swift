import FHECompiler
import FHEProgram
import FHEParameters
import Foundation
import TFHE
@_exported import FHEDeployment

/// A compiled circuit, its keys once generated, and the ways to run it: in the clear
/// (`simulate`) or in FHE (`keygen`, `encrypt`, `run`, `decrypt`), in one process. It is a
/// `Client` and a `Server` side by side; `server` is what to deploy.
public final class Circuit: Sendable {
    /// The compiled program: Program, types, parameters.
    public let compiled: CompiledProgram
    /// What a client needs: parameters and the arguments' and result's types.
    public let clientSpecs: ClientSpecs
    private let client: Client
    private let runtime: Server

    init(compiled: CompiledProgram) {
        self.compiled = compiled
        clientSpecs = ClientSpecs(compiled)
        // Its own specs: the security level is the optimizer's, the sizes are the user's choice.
        client = Client(specs: clientSpecs, policy: ClientPolicy(maximumKeyBytes: .max, maximumCiphertextBytes: .max))
        runtime = Server(compiled: ServerArtifact(program: compiled.program, registerTypes: compiled.registerTypes,
                                                  clientSpecs: clientSpecs))
    }

    /// The op-graph, each node with its type, bit-width and bounds.
    public var graph: String { compiled.graph }

    /// What a server needs to run the circuit (no keys): `save(to:)` it for `Server.load(from:)`.
    public var server: ServerArtifact {
        ServerArtifact(program: compiled.program, registerTypes: compiled.registerTypes, clientSpecs: clientSpecs)
    }

    /// Runs the circuit in the clear with the FHE encoding (the virtual library).
    public func simulate(_ arguments: Tensor...) throws -> Tensor { try compiled.simulate(arguments: arguments) }
    /// `simulate` with an array of arguments.
    public func simulate(arguments: [Tensor]) throws -> Tensor { try compiled.simulate(arguments: arguments) }

    /// Generates the secret keys (system CSPRNG) and the evaluation keys, and prepares them for
    /// running: Fourier keys, every lookup's test polynomial. Cost: about 0.2 s at 4-bit
    /// parameters, 4 s at 8 bits.
    public func keygen() throws {
        try client.keygen()
        try prepareRuntime()
    }

    /// Generates the same keys for the same seed, for reproducible tests and benchmarks.
    /// NOT SECURE: anyone who knows the seed can recompute the secret keys.
    public func keygen(seed: UInt64) throws {
        try client.keygen(seed: seed)
        try prepareRuntime()
    }

    /// Expands the new evaluation keys and prepares the runner now, so that `run` does not.
    private func prepareRuntime() throws {
        _ = try runtime.runner(for: client.evaluationKeys)
    }

    /// The client's keys, to save (`serialized()`) and give to `Client(specs:keys:)`.
    public var keys: ClientKeys { get throws { try client.keys } }

    /// The evaluation keys, for a `Server` of this circuit.
    public var evaluationKeys: EvaluationKeys { get throws { try client.evaluationKeys } }

    /// Encrypts the encrypted arguments under the circuit's keys; clear ones stay clear.
    /// - Throws: `RuntimeError.argument` for arguments outside the compiled types,
    ///   `RuntimeError.noKeys` before keygen().
    public func encrypt(_ arguments: Tensor...) throws -> EncryptedArguments { try encrypt(arguments: arguments) }

    /// `encrypt` with an array of arguments.
    public func encrypt(arguments: [Tensor]) throws -> EncryptedArguments { try client.encrypt(arguments: arguments) }

    /// Runs the program on encrypted arguments with the evaluation keys, on `threads` threads.
    /// - Throws: `RuntimeError` for arguments of another circuit or before keygen().
    public func run(_ arguments: EncryptedArguments, threads: Int? = nil) throws -> EncryptedResult {
        try runtime.run(arguments, evaluationKeys: client.evaluationKeys, threads: threads)
    }

    /// Decrypts a result with the circuit's secret keys.
    public func decrypt(_ result: EncryptedResult) throws -> Tensor { try client.decrypt(result) }

    /// encrypt, run and decrypt in one call.
    public func encryptRunDecrypt(_ arguments: Tensor...) throws -> Tensor { try encryptRunDecrypt(arguments: arguments) }

    /// `encryptRunDecrypt` with an array of arguments.
    public func encryptRunDecrypt(arguments: [Tensor]) throws -> Tensor {
        try decrypt(run(encrypt(arguments: arguments)))
    }

    /// What one run costs and how reliable it is.
    public var statistics: Statistics {
        let parameters = compiled.parameters, wide = compiled.wideLookup
        let count = compiled.bootstrapCount
        let perLookup = compiled.lookupConstraints.map { $0.failureProbability(parameters, wide: wide) }.max() ?? 0
        return Statistics(programmableBootstrapCount: count, keySwitchCount: count, parameters: parameters,
                          bootstrapKeyBytes: parameters.bootstrapKeyBytes, keySwitchKeyBytes: parameters.keyswitchKeyBytes,
                          bootstrapKeyWireBytes: parameters.seededBootstrapKeyBytes,
                          keySwitchKeyWireBytes: parameters.seededKeyswitchKeyBytes,
                          wideLookup: wide, wideLookupCount: compiled.wideLookupElements.values.reduce(0, +),
                          circuitBootstrapKeyBytes: wide?.circuitKeyBytes(parameters) ?? 0,
                          circuitBootstrapKeyWireBytes: wide?.seededCircuitKeyBytes(parameters) ?? 0,
                          pError: perLookup,
                          globalPError: NoiseModel.failureProbability(perLookup: perLookup, count: compiled.decodingCount),
                          maxBitWidth: compiled.maxBitWidth, multivariateStrategy: compiled.multivariateStrategy)
    }
}

/// The cost and reliability of one run of a circuit.
public struct Statistics: Sendable {
    /// Programmable bootstraps per run: one per element of every lookup, the roundings' (two
    /// per step and element, see `RoundingStep`), and `WideLookupParameters.bootstrapsPerBit` per
    /// bit of each wide lookup element (many-LUT PBS for its bit extraction and circuit bootstrapping).
    public let programmableBootstrapCount: Int
    /// Keyswitches per run (one before each PBS).
    public let keySwitchCount: Int
    /// The parameter set.
    public let parameters: ParameterSet
    /// Bytes of the bootstrapping key (Fourier form, in memory).
    public let bootstrapKeyBytes: Int
    /// Bytes of the keyswitching key in memory.
    public let keySwitchKeyBytes: Int
    /// Bytes of the bootstrapping key on the wire (seeded: bodies only, see `EvaluationKeys`).
    public let bootstrapKeyWireBytes: Int
    /// Bytes of the keyswitching key on the wire (seeded: bodies only).
    public let keySwitchKeyWireBytes: Int
    /// The decompositions of the wide lookups (inputs wider than one PBS), nil without any.
    public let wideLookup: WideLookupParameters?
    /// Wide lookups per run, counting every element.
    public let wideLookupCount: Int
    /// Bytes of the circuit bootstrapping keys in memory (0 without wide lookups).
    public let circuitBootstrapKeyBytes: Int
    /// Bytes of the circuit bootstrapping keys on the wire (seeded).
    public let circuitBootstrapKeyWireBytes: Int
    /// Predicted failure probability of one PBS: the least reliable one.
    public let pError: Double
    /// Predicted probability that any lookup of a run fails (`CompiledProgram.decodingCount` reads).
    public let globalPError: Double
    /// The widest PBS input (lookups, after rounding, and the roundings' own), in bits.
    public let maxBitWidth: Int
    /// How operations of two encrypted values were lowered (nil when there are none).
    public let multivariateStrategy: MultivariateStrategy?
}

extension Compiler {
    /// Compiles the function into a circuit: see `compileProgram(inputset:configuration:)`.
    public func compile(inputset: [[Tensor]], configuration: Configuration = Configuration()) throws -> Circuit {
        Circuit(compiled: try compileProgram(inputset: inputset, configuration: configuration))
    }
}

extension ClientSpecs {
    /// The specs of a compiled program: its parameters, its arguments' and result's registers,
    /// and the fingerprint of its printed graph (operations, tables, types).
    init(_ compiled: CompiledProgram) {
        func value(_ register: Int) -> Value {
            let info = compiled.program.registers[register]
            return Value(shape: info.shape, isEncrypted: info.isEncrypted, type: compiled.registerTypes[register]!)
        }
        self.init(parameters: compiled.parameters, wideLookup: compiled.wideLookup, arguments: compiled.program.arguments.map(value),
                  result: value(compiled.program.result), circuitFingerprint: FHEProgram.fingerprint(compiled.graph.utf8))
    }
}
