/// Why a TFHE operation failed.
public enum TFHEError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two operands that must share a dimension do not.
    case dimensionMismatch(operation: String, expected: Int, actual: Int)
    /// A ciphertext or key was made for another parameter set.
    case parameterMismatch(operation: String)
    /// An argument is out of its range; the message says which range.
    case invalidArgument(String)
    /// The kernels could not allocate memory.
    case outOfMemory
    /// The system's random number generator or the cipher failed.
    case randomnessFailure

    public var description: String {
        switch self {
        case let .dimensionMismatch(operation, expected, actual):
            "\(operation): expected a ciphertext of LWE dimension \(expected), got \(actual); "
                + "use ciphertexts encrypted under the same key and parameter set"
        case let .parameterMismatch(operation):
            "\(operation): the operands were made for different parameter sets"
        case let .invalidArgument(message):
            message
        case .outOfMemory:
            "out of memory: the keys of this parameter set do not fit; choose a smaller parameter set"
        case .randomnessFailure:
            "the cryptographic random number generator failed"
        }
    }
}
