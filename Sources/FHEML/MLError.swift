/// Why training, quantizing, compiling or running a model failed; the message says what to change.
public enum MLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A parameter out of range (bits, depth, tree count, learning rate).
    case invalidParameter(String)
    /// Data that cannot be used: empty, ragged, labels out of range, values not finite.
    case invalidData(String)
    /// `predict` or the deployment before `fit` or `compile`.
    case notReady(String)
    /// The model's circuit cannot be compiled: the compiler's report and what to change.
    case cannotCompile(String)
    /// An imported model (ONNX) uses what the importer does not support: the operator and the node.
    case unsupportedModel(String)

    public var description: String {
        switch self {
        case let .invalidParameter(message), let .invalidData(message), let .notReady(message), let .cannotCompile(message),
             let .unsupportedModel(message): message
        }
    }
}
