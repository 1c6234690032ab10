/// Elementwise operations of two operands (numpy-style broadcasting).
public enum BinaryOperation: String, Sendable, Hashable {
    case add, subtract, multiply, divide   // divide: true division, float operands only
    case floorDivide = "floor_divide", remainder
    case less, lessEqual = "less_equal", greater, greaterEqual = "greater_equal", equal, notEqual = "not_equal"
    case bitwiseAnd = "bitwise_and", bitwiseOr = "bitwise_or", bitwiseXor = "bitwise_xor"
    case leftShift = "left_shift", rightShift = "right_shift"
    case minimum, maximum

    /// Whether the result is 0/1 (a comparison).
    package var isComparison: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: true
        default: false
        }
    }

    /// Whether the operation exists on integers only.
    package var isIntegerOnly: Bool {
        switch self {
        case .floorDivide, .remainder, .bitwiseAnd, .bitwiseOr, .bitwiseXor, .leftShift, .rightShift: true
        default: false
        }
    }
}

/// Elementwise operations of one operand.
public enum UnaryOperation: String, Sendable, Hashable {
    case negate = "negative", absolute, relu
    case sin, cos, tan, exp, log, sqrt, tanh, sigmoid
    case rounded = "round", floor
    case toInt = "astype_int"

    /// Whether the result is a float whatever the operand.
    package var producesFloat: Bool {
        switch self {
        case .sin, .cos, .tan, .exp, .log, .sqrt, .tanh, .sigmoid: true
        default: false
        }
    }
}

/// What a program computes on clear values, and what its levelled instructions compute on
/// encrypted ones: a closed set of operations, each with its exact semantics (`evaluate`) and a
/// binary form (`ProgramCoding`). No Swift closure can hide in it: the compiler writes every Swift
/// function on clear values as a `lookupTable` over its input's type.
public enum ClearOperation: Sendable, Hashable {
    /// An integer constant.
    case constant(Tensor)
    /// A float scalar constant.
    case floatConstant(Double)
    case binary(BinaryOperation)
    case unary(UnaryOperation)
    /// `table[x]`, elementwise; negative inputs index from the end.
    case lookupTable([Int64])
    /// Rounds to a multiple of 2^lsbsToRemove: (x + 2^(k−1)) >> k << k.
    case roundBitPattern(lsbsToRemove: Int)
    /// The sum of all elements, or along one axis.
    case sum(axis: Int?)
    /// The dot product of a vector with clear weights.
    case dot(Tensor)
    /// The matrix product with a clear matrix (or vector) on the right.
    case matmul(Tensor)
    case reshape([Int])
    /// Reverses the axes.
    case transpose
    /// Element or row `i` along the first axis.
    case index(Int)
    /// Joins along the first axis.
    case concatenate
    /// A linear map given by its terms (convolutions, pooling sums, padding, gathers).
    case linear(LinearOperation)

    /// The name used in printed graphs and messages.
    public var name: String {
        switch self {
        case .constant, .floatConstant: "constant"
        case let .binary(operation): operation.rawValue
        case let .unary(operation): operation.rawValue
        case .lookupTable: "tlu"
        case .roundBitPattern: "round_bit_pattern"
        case .sum: "sum"
        case .dot: "dot"
        case .matmul: "matmul"
        case .reshape: "reshape"
        case .transpose: "transpose"
        case .index: "index"
        case .concatenate: "concatenate"
        case let .linear(operation): operation.name
        }
    }

    /// The operands the operation takes: nil for any number of at least one (concatenate).
    package var arity: Int? {
        switch self {
        case .constant, .floatConstant: 0
        case .binary: 2
        case .concatenate: nil
        default: 1
        }
    }
}

extension ClearOperation {
    /// The integer result of this operation on integer operands, with result shape `shape` (as
    /// shape inference gives it): the checked clear semantics of `Evaluator`.
    /// - Throws: `EvaluationError` when the operation fails on these operands (an overflow, a
    ///   division by zero, a float result).
    public func evaluate(shape: [Int], operands: [Tensor]) throws -> Tensor {
        do {
            guard case let .integer(resultShape, elements) = try Evaluator.evaluate(self, shape: shape, operands.map(Value.init)) else {
                throw EvaluationFailure("\(name) does not give an integer")
            }
            return Tensor(int64: elements, shape: resultShape)
        } catch let failure as EvaluationFailure {
            throw EvaluationError("\(name): \(failure.message)")
        }
    }
}
