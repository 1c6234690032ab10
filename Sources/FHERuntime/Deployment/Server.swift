import FHEParameters
import FHEProgram
import Foundation
import TFHE

/// What a server needs of a circuit, without any key: the program, its register types and the
/// client specs. `circuit.server` makes one; `save(to:)` writes it for `Server.load(from:)`.
///
/// Binary form: the header (kind 6, the specs fingerprint), the client specs, then the program
/// (`ProgramCoding`) with a fingerprint of its bytes. Every program can be written: its clear
/// operations are a closed set (`ClearOperation`), Swift functions already tables.
public struct ServerArtifact: Sendable {
    let program: Program
    let registerTypes: [IntegerType?]
    /// The specs to give to clients.
    public let clientSpecs: ClientSpecs

    package init(program: Program, registerTypes: [IntegerType?], clientSpecs: ClientSpecs) {
        self.program = program
        self.registerTypes = registerTypes
        self.clientSpecs = clientSpecs
    }

    /// The binary form: every program can be written (`ClearOperation` is closed).
    public func serialized() -> Data {
        var body = BinaryWriter()
        ProgramCoding.write(program, registerTypes: registerTypes, to: &body)
        var writer = BinaryWriter()
        writer.writeHeader(.server, fingerprint: clientSpecs.fingerprint)
        writer.write(bytes: clientSpecs.serialized())
        writer.write(FHEProgram.fingerprint(body.bytes))
        writer.write(bytes: body.bytes)
        return Data(writer.bytes)
    }

    /// Writes the artifact to a file (atomically).
    public func save(to url: URL) throws {
        try serialized().write(to: url, options: .atomic)
    }

    /// Reads an artifact and validates its program (`Program.validate`).
    /// - Throws: `DeserializationError` saying what is wrong.
    public init(serialized data: Data) throws {
        var reader = BinaryReader([UInt8](data))
        let (fingerprint, keyID) = try reader.readHeader(.server)
        guard keyID == 0 else { throw DeserializationError.invalidValue("a server artifact belongs to no key, found key \(keyID)") }
        clientSpecs = try ClientSpecs(reading: &reader)
        guard clientSpecs.fingerprint == fingerprint else { throw DeserializationError.wrongFingerprint }
        let programFingerprint = try reader.read(UInt64.self)
        guard FHEProgram.fingerprint(reader.rest) == programFingerprint else {
            throw DeserializationError.invalidValue("the program's fingerprint does not match its bytes: the file is corrupted")
        }
        (program, registerTypes) = try ProgramCoding.read(from: &reader)
        try reader.finish()
        guard zip(program.arguments, clientSpecs.arguments).allSatisfy({ matches($0, $1) }),
              program.arguments.count == clientSpecs.arguments.count, matches(program.result, clientSpecs.result) else {
            throw DeserializationError.invalidValue("the program's arguments or result differ from the client specs")
        }
        let hasWideLookups = !program.wideLookupElements(lookupTypes: program.lookupInputTypes(registerTypes: registerTypes),
                                                         narrowest: clientSpecs.wideLookup?.narrowestBits ?? Limits.maximumLookupBitWidth + 1).isEmpty
        guard hasWideLookups == (clientSpecs.wideLookup != nil) else {
            throw DeserializationError.invalidValue(hasWideLookups ? "the program has wide lookups and the client specs no decompositions for them"
                                                    : "the client specs have wide-lookup decompositions and the program no wide lookup")
        }
    }

    /// Runs the artifact's program in the clear with the FHE encoding (the virtual library of a
    /// deployed circuit): what the server computes, for debugging a deployment without keys.
    /// - Throws: `RuntimeError.argument` for arguments that do not match the specs, `EvaluationError` for a clear
    ///   operation that fails.
    public func simulate(arguments: [Tensor]) throws -> Tensor {
        try clientSpecs.validate(arguments: arguments)
        return try program.simulate(validatedArguments: arguments, registerTypes: registerTypes)
    }

    private func matches(_ register: Int, _ spec: ClientSpecs.Value) -> Bool {
        program.registers[register].shape == spec.shape && program.registers[register].isEncrypted == spec.isEncrypted
            && registerTypes[register] == spec.type
    }
}

/// The server side of a deployed circuit: it runs the program on encrypted arguments with the
/// client's evaluation keys, and never holds a secret key.
public final class Server: @unchecked Sendable {
    // The runner cache is read and written under the lock; everything else is immutable.
    /// The circuit.
    public let artifact: ServerArtifact
    /// What a run of the artifact needs, checked against the budget when the server was made.
    public let resources: ResourceEstimate
    private let lock = NSLock()
    private var cachedRunner: (keys: ObjectIdentifier, runner: ProgramRunner)?

    /// A server for an artifact whose run fits `budget` (memory and work, computed from the
    /// program before anything is allocated).
    /// - Throws: `RuntimeError.overBudget` saying how much the run needs and why.
    public convenience init(artifact: ServerArtifact, budget: ServerBudget = .default) throws {
        self.init(compiled: artifact)
        try budget.check(resources)
    }

    /// A server for an artifact compiled in this process (a `Circuit`'s own), with no budget.
    package init(compiled artifact: ServerArtifact) {
        resources = ResourceEstimate(program: artifact.program, registerTypes: artifact.registerTypes,
                                     parameters: artifact.clientSpecs.parameters, wideLookup: artifact.clientSpecs.wideLookup)
        self.artifact = artifact
    }

    /// The specs to give to clients.
    public var clientSpecs: ClientSpecs { artifact.clientSpecs }

    /// Loads an artifact written by `ServerArtifact.save(to:)`.
    /// - Throws: `DeserializationError` for a malformed file, `RuntimeError.overBudget` for an
    ///   artifact over `budget`, or the file system's error.
    public static func load(from url: URL, budget: ServerBudget = .default) throws -> Server {
        try Server(artifact: try ServerArtifact(serialized: try Data(contentsOf: url)), budget: budget)
    }

    /// Reads evaluation keys sent by a client, checking that they were made for this server's
    /// circuit and parameter set *before* their bodies are read and expanded (keys of another
    /// set cost nothing to refuse).
    /// - Throws: `RuntimeError.mismatch` for keys of another circuit, `DeserializationError`
    ///   for malformed data.
    public func evaluationKeys(serialized data: Data) throws -> EvaluationKeys {
        try EvaluationKeys(serialized: data, for: clientSpecs)
    }

    /// Runs the circuit: every lookup instruction is one batched keyswitch + PBS over its
    /// elements on `threads` threads (nil: the default).
    /// - Throws: `RuntimeError.mismatch` for arguments or keys of another circuit, or arguments
    ///   and keys of different clients.
    public func run(_ arguments: EncryptedArguments, evaluationKeys: EvaluationKeys, threads: Int? = nil) throws -> EncryptedResult {
        let specs = clientSpecs
        guard arguments.specsFingerprint == specs.fingerprint else {
            throw RuntimeError.mismatch("the arguments were made for another circuit or parameter set")
        }
        try specs.checkEvaluationKeys(fingerprint: evaluationKeys.specsFingerprint, parameters: evaluationKeys.parameters)
        try specs.checkEvaluationKeys(wideLookup: evaluationKeys.wideLookup)
        guard arguments.keyID == evaluationKeys.keyID else {
            throw RuntimeError.mismatch("the arguments and the evaluation keys come from different client keys")
        }
        let values = try prepared(arguments.values)
        let value = try runner(for: evaluationKeys).run(values, threads: threads)
        return EncryptedResult(value: value, specsFingerprint: specs.fingerprint, keyID: arguments.keyID)
    }

    /// The runner for these keys: test polynomials and linear maps are made once per keys.
    package func runner(for keys: EvaluationKeys) throws -> ProgramRunner {
        let identifier = ObjectIdentifier(keys)
        if let cached = lock.withLock({ cachedRunner }), cached.keys == identifier { return cached.runner }
        let expanded = try keys.expandedKeys()
        let runner = try ProgramRunner(program: artifact.program, registerTypes: artifact.registerTypes,
                                       serverKey: expanded.serverKey, circuitKey: expanded.circuitKey)
        lock.withLock { cachedRunner = (identifier, runner) }
        return runner
    }

    /// Checks each argument against the specs and expands seeded ciphertexts.
    private func prepared(_ values: [RuntimeValue]) throws -> [RuntimeValue] {
        let specs = clientSpecs
        guard values.count == specs.arguments.count else {
            throw RuntimeError.mismatch("expected \(specs.arguments.count) arguments, got \(values.count)")
        }
        let dimension = specs.parameters.bigLWEDimension
        return try zip(values, specs.arguments).enumerated().map { position, pair in
            let (value, spec) = pair
            let count = Tensor.elementCount(of: spec.shape)
            switch value {
            case let .clear(tensor) where !spec.isEncrypted && spec.accepts(tensor):
                return value
            case let .encrypted(shape, ciphertexts) where spec.isEncrypted && shape == spec.shape && ciphertexts.count == count
                && ciphertexts.dimension == dimension:
                return value
            case let .seeded(shape, seeded) where spec.isEncrypted && shape == spec.shape && seeded.bodies.count == count
                && seeded.dimension == dimension:
                return .encrypted(shape: shape, ciphertexts: try seeded.expanded())
            default:
                throw RuntimeError.mismatch("argument \(position) does not match \(spec.description)")
            }
        }
    }
}
