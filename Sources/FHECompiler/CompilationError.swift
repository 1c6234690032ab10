/// Why tracing, compiling or evaluating a program failed; the message says what to change.
public enum CompilationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An operation that cannot be traced as written (shapes, kinds, arguments).
    case invalidOperation(String, location: SourceLocation?)
    /// Evaluating the program in the clear failed on some input.
    case evaluation(String, node: NodeID)

    public var description: String {
        switch self {
        case let .invalidOperation(message, location):
            location.map { "\($0): \(message)" } ?? message
        case let .evaluation(message, node):
            "evaluating \(node): \(message)"
        }
    }
}
