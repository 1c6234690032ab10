import FHEOptimizer
import FHEProgram

/// Options of `compileProgram(inputset:configuration:)`.
public struct Configuration: Sendable {
    /// Failure probability per table lookup; when nil, `globalPError` spreads over the circuit.
    public var pError: Double?
    /// Failure probability of the whole circuit (default 1e-5, like Concrete).
    public var globalPError: Double
    /// Security level in bits: 128 (default) or 132.
    public var securityLevel: Int
    /// How operations of two encrypted values are lowered (default: by cost, `automatic`), like
    /// Concrete's `comparison_strategy_preference` and its kin.
    public var multivariateStrategy: MultivariateStrategy
    /// The key-size budget: the largest evaluation keys in memory (bootstrapping plus
    /// keyswitching bytes) the chosen parameters may need (default 8 GiB). A 9-bit lookup at
    /// the default failure target needs about 4 GiB, a 10-bit one about 9 GiB.
    public var keySizeBudget: Int
    /// How 9- and 10-bit lookups are made: one PBS with a large polynomial or a wide lookup
    /// (default: the cheaper within the budget, `automatic`).
    public var wideLookupPreference: WideLookupPreference

    /// The widest table lookup input the compiler emits (`Limits.maximumLookupBitWidth`).
    public static let maximumTLUBitWidth = Limits.maximumLookupBitWidth

    /// The widest encrypted value (a levelled result such as a sum) a ciphertext may carry
    /// (`Limits.maximumEncryptedBitWidth`).
    public static let maximumEncryptedBitWidth = Limits.maximumEncryptedBitWidth

    public init(pError: Double? = nil, globalPError: Double = 1e-5, securityLevel: Int = 128,
                multivariateStrategy: MultivariateStrategy = .automatic, keySizeBudget: Int = 8 << 30,
                wideLookupPreference: WideLookupPreference = .automatic) {
        self.pError = pError
        self.globalPError = globalPError
        self.securityLevel = securityLevel
        self.multivariateStrategy = multivariateStrategy
        self.keySizeBudget = keySizeBudget
        self.wideLookupPreference = wideLookupPreference
    }

    /// The strategies to compile with.
    /// - Throws: `CompilationError.configuration` for chunks outside 1…`maximumTLUBitWidth` bits.
    func validatedStrategies() throws -> [MultivariateStrategy] {
        if case let .chunked(bits) = multivariateStrategy, !(1...Self.maximumTLUBitWidth).contains(bits) {
            throw CompilationError.configuration("chunked strategies take chunks of 1…\(Self.maximumTLUBitWidth) bits, got \(bits)")
        }
        return multivariateStrategy.candidates
    }

    /// The security level, or why it is not one.
    /// - Throws: `CompilationError.configuration` for a level other than 128 or 132 bits.
    func validatedSecurityLevel() throws -> SecurityLevel {
        guard let level = SecurityLevel(rawValue: securityLevel) else {
            throw CompilationError.configuration("securityLevel must be 128 or 132, got \(securityLevel)")
        }
        return level
    }

    /// The optimizer's search space, bounded by the key-size budget.
    /// - Throws: `CompilationError.configuration` for a budget that is not positive.
    func validatedSearchSpace() throws -> Optimizer.SearchSpace {
        guard keySizeBudget > 0 else {
            throw CompilationError.configuration("keySizeBudget must be a positive number of bytes, got \(keySizeBudget)")
        }
        var space = Optimizer.searchSpace
        space.maximumKeyBytes = keySizeBudget
        return space
    }

    func failureTarget(lookupCount: Int) -> FailureTarget {
        pError.map { .perLookup($0) } ?? .global(globalPError, lookupCount: max(lookupCount, 1))
    }
}
