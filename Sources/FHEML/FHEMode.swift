/// Where a model's prediction is computed.
public enum FHEMode: String, Sendable, Hashable, CaseIterable {
    /// The quantized model in the clear, in plain Swift: bit-exact with what FHE computes.
    case disable
    /// The compiled circuit in the clear with the FHE encoding (the virtual library).
    case simulate
    /// The compiled circuit on encrypted data: keys are generated on first use.
    case execute
}
