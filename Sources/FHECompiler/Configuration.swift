import FHEOptimizer

/// Options of `compileProgram(inputset:configuration:)`.
public struct Configuration: Sendable {
    /// Failure probability per table lookup; when nil, `globalPError` spreads over the circuit.
    public var pError: Double?
    /// Failure probability of the whole circuit (default 1e-5, like Concrete).
    public var globalPError: Double
    /// Security level in bits: 128 (default) or 132.
    public var securityLevel: Int

    /// The widest table lookup input the runtime supports: the one place to raise it.
    public static let maximumTLUBitWidth = 8

    /// The widest encrypted value (a levelled result such as a sum) a ciphertext may carry.
    public static let maximumEncryptedBitWidth = 32

    public init(pError: Double? = nil, globalPError: Double = 1e-5, securityLevel: Int = 128) {
        self.pError = pError
        self.globalPError = globalPError
        self.securityLevel = securityLevel
    }

    func failureTarget(lookupCount: Int) -> FailureTarget {
        pError.map { .perLookup($0) } ?? .global(globalPError, lookupCount: max(lookupCount, 1))
    }
}
