/// Why a program read from elsewhere cannot run.
public struct InvalidProgram: Error, Sendable, CustomStringConvertible {
    public let message: String
    package init(_ message: String) { self.message = message }
    public var description: String { "invalid program: \(message)" }
}

/// Why running a program's clear semantics failed on some arguments: an overflow of 64-bit
/// integers, a division by zero, a wrong argument count, a float result.
public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    package init(_ message: String) { self.message = message }
    public var description: String { "running the program: \(message)" }
}
