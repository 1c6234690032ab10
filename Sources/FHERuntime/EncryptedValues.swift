import FHECompiler
import TFHE

/// A register's value during a run: ciphertexts of an encrypted tensor, or a clear tensor.
enum RuntimeValue: Sendable {
    case encrypted(shape: [Int], ciphertexts: [LWECiphertext])
    case clear(Tensor)

    var shape: [Int] {
        switch self {
        case let .encrypted(shape, _): shape
        case let .clear(tensor): tensor.shape
        }
    }
}

/// The arguments of a circuit, encrypted where the circuit says so.
public struct EncryptedArguments: Sendable {
    let values: [RuntimeValue]
}

/// The result of a run, to decrypt with the client's keys.
public struct EncryptedResult: Sendable {
    let value: RuntimeValue
}

/// Why a circuit could not run.
public enum RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// keygen() has not been called.
    case noKeys
    /// Arguments or a result that do not belong to this circuit.
    case mismatch(String)

    public var description: String {
        switch self {
        case .noKeys: "the circuit has no keys: call keygen() first"
        case let .mismatch(message): message
        }
    }
}
