/// Why the optimizer found no parameter set.
public enum OptimizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No set in the search space meets the constraints; `reason` says which failed and what to change.
    case noFeasibleParameters(reason: String)
    /// A request outside what the optimizer handles.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case let .noFeasibleParameters(reason): "no feasible parameters: \(reason)"
        case let .invalidRequest(message): message
        }
    }
}
