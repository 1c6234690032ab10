/// Elementwise operations of two operands (numpy-style broadcasting).
public enum BinaryOperation: String, Sendable, Hashable {
    case add, subtract, multiply, divide   // divide: true division, float operands only
    case floorDivide = "floor_divide", remainder
    case less, lessEqual = "less_equal", greater, greaterEqual = "greater_equal", equal, notEqual = "not_equal"
    case bitwiseAnd = "bitwise_and", bitwiseOr = "bitwise_or", bitwiseXor = "bitwise_xor"
    case leftShift = "left_shift", rightShift = "right_shift"
    case minimum, maximum

    /// Whether the result is 0/1 (a comparison).
    var isComparison: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: true
        default: false
        }
    }

    /// Whether the operation exists on integers only.
    var isIntegerOnly: Bool {
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
    var producesFloat: Bool {
        switch self {
        case .sin, .cos, .tan, .exp, .log, .sqrt, .tanh, .sigmoid: true
        default: false
        }
    }
}

/// The subgraph behind a fused table lookup: a scalar graph of one integer input whose result,
/// applied to every element, is the lookup's result.
public struct FusedSubgraph: Sendable {
    /// The scalar graph; its single input stands for the lookup's input.
    public let graph: Graph

    /// The result for one input value.
    func evaluate(_ x: Int64) throws -> Int64 {
        try graph.evaluate([Tensor(int64: [x], shape: [])]).scalar
    }
}

/// A univariate integer function given as a Swift closure (`x.apply { … }`).
public struct UnivariateFunction: Sendable {
    public let name: String
    public let body: @Sendable (Int) -> Int
}

/// What a node computes.
public enum Operation: Sendable {
    /// Parameter `index` of the circuit.
    case input(index: Int, name: String)
    /// An integer constant.
    case constant(Tensor)
    /// A float scalar constant.
    case floatConstant(Double)
    case binary(BinaryOperation)
    case unary(UnaryOperation)
    /// A univariate function of its input, applied elementwise.
    case apply(UnivariateFunction)
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
    /// A univariate subgraph of elementwise operations fused into one table lookup.
    case fused(FusedSubgraph)

    /// The name used in printed graphs.
    public var name: String {
        switch self {
        case .input: "input"
        case .constant, .floatConstant: "constant"
        case let .binary(operation): operation.rawValue
        case let .unary(operation): operation.rawValue
        case let .apply(function): function.name
        case .lookupTable: "tlu"
        case .roundBitPattern: "round_bit_pattern"
        case .sum: "sum"
        case .dot: "dot"
        case .matmul: "matmul"
        case .reshape: "reshape"
        case .transpose: "transpose"
        case .index: "index"
        case .concatenate: "concatenate"
        case .fused: "tlu"
        }
    }
}
