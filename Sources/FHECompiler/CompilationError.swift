import FHEProgram

/// Why tracing, compiling or evaluating a program failed; the message says what to change.
public enum CompilationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An operation that cannot be traced as written (shapes, kinds, arguments).
    case invalidOperation(String, location: SourceLocation?)
    /// Evaluating the program in the clear failed on some input.
    case evaluation(String, node: NodeID)
    /// The inputset cannot be used (empty, wrong arity, wrong shapes, a sample on which the
    /// function fails).
    case inputset(String)
    /// A `Configuration` value is out of range.
    case configuration(String)
    /// An argument of `simulate` does not match the types fixed at compile time.
    case argument(String)
    /// The program cannot run in FHE as it is: the printed graph with the offending nodes
    /// marked, one message per node, and what to change.
    case incompatible(report: String)

    public var description: String {
        switch self {
        case let .invalidOperation(message, location):
            location.map { "\($0): \(message)" } ?? message
        case let .evaluation(message, node):
            "evaluating \(node): \(message)"
        case let .inputset(message), let .configuration(message), let .argument(message):
            message
        case let .incompatible(report):
            report
        }
    }
}
