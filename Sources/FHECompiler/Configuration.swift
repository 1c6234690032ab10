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

    /// The widest table lookup input the compiler emits (`Limits.maximumLookupBitWidth`).
    public static let maximumTLUBitWidth = Limits.maximumLookupBitWidth

    /// The widest encrypted value (a levelled result such as a sum) a ciphertext may carry
    /// (`Limits.maximumEncryptedBitWidth`).
    public static let maximumEncryptedBitWidth = Limits.maximumEncryptedBitWidth

    public init(pError: Double? = nil, globalPError: Double = 1e-5, securityLevel: Int = 128) {
        self.pError = pError
        self.globalPError = globalPError
        self.securityLevel = securityLevel
    }

    /// The security level, or why it is not one.
    /// - Throws: `CompilationError.configuration` for a level other than 128 or 132 bits.
    func validatedSecurityLevel() throws -> SecurityLevel {
        guard let level = SecurityLevel(rawValue: securityLevel) else {
            throw CompilationError.configuration("securityLevel must be 128 or 132, got \(securityLevel)")
        }
        return level
    }

    func failureTarget(lookupCount: Int) -> FailureTarget {
        pError.map { .perLookup($0) } ?? .global(globalPError, lookupCount: max(lookupCount, 1))
    }
}
