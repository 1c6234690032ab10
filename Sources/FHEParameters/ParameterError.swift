/// Why a parameter set was rejected.
public enum ParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field is out of its range; the message says which range.
    case invalidValue(field: String, value: String, expected: String)
    /// No named parameter set has this name.
    case unknownName(String, known: [String])

    public var description: String {
        switch self {
        case let .invalidValue(field, value, expected):
            "invalid parameter \(field) = \(value): expected \(expected)"
        case let .unknownName(name, known):
            "no parameter set named '\(name)': known sets are \(known.joined(separator: ", "))"
        }
    }
}
