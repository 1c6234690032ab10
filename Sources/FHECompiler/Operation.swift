import FHEProgram

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

/// What a node computes. The cases it shares with `ClearOperation` (constants, elementwise and
/// tensor operations) mean what they mean there, and lower to it; `input`, `apply` (Swift code)
/// and `fused` exist only in traced graphs.
public enum Operation: Sendable {
    /// Parameter `index` of the circuit.
    case input(index: Int, name: String)
    case constant(Tensor)
    case floatConstant(Double)
    case binary(BinaryOperation)
    case unary(UnaryOperation)
    /// A univariate function of its input, applied elementwise.
    case apply(UnivariateFunction)
    case lookupTable([Int64])
    case roundBitPattern(lsbsToRemove: Int, exactness: RoundingExactness)
    case sum(axis: Int?)
    case dot(Tensor)
    case matmul(Tensor)
    case reshape([Int])
    case transpose
    case index(Int)
    case concatenate
    /// A linear map given by its terms (convolutions, pooling sums, padding, gathers).
    case linear(LinearOperation)
    /// A univariate subgraph of elementwise operations fused into one table lookup.
    case fused(FusedSubgraph)
    /// One table per element (`LookupTables`), of an encrypted value.
    case lookupTables([[Int64]])

    /// The name used in printed graphs.
    public var name: String {
        switch self {
        case .input: "input"
        case let .apply(function): function.name
        case .fused, .lookupTables: "tlu"
        default: clearOperation!.name
        }
    }
}

extension Operation {
    /// The operation of a program's clear semantics (`ClearOperation`): nil for an input and for
    /// the operations that hold Swift code (`apply`, `fused`), which lowering writes as tables.
    var clearOperation: ClearOperation? {
        switch self {
        case .input, .apply, .fused, .lookupTables: nil
        case let .constant(tensor): .constant(tensor)
        case let .floatConstant(value): .floatConstant(value)
        case let .binary(operation): .binary(operation)
        case let .unary(operation): .unary(operation)
        case let .lookupTable(table): .lookupTable(table)
        case let .roundBitPattern(lsbs, _): .roundBitPattern(lsbsToRemove: lsbs)
        case let .sum(axis): .sum(axis: axis)
        case let .dot(weights): .dot(weights)
        case let .matmul(matrix): .matmul(matrix)
        case let .reshape(shape): .reshape(shape)
        case .transpose: .transpose
        case let .index(i): .index(i)
        case .concatenate: .concatenate
        case let .linear(operation): .linear(operation)
        }
    }
}

extension ShapeInference {
    /// The shape of a traced operation on operands of `shapes`: a program's clear operation's,
    /// or the operand's for the elementwise Swift code of `apply` and fused subgraphs.
    static func shape(of operation: Operation, operands shapes: [[Int]]) -> Result<[Int], ShapeError> {
        switch operation {
        case .apply, .fused, .lookupTables: .success(shapes[0])
        default: operation.clearOperation.map { shape(of: $0, operands: shapes) } ?? .failure(ShapeError("no shape inference for inputs"))
        }
    }
}
