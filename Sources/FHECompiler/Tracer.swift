import FHEProgram

/// A value of a traced program: operations on tracers record nodes instead of computing.
///
/// A `Tracer` is not a `Bool`, so branching on an encrypted value (`if x > 3 { … }`) cannot be
/// written: use comparisons as 0/1 values and arithmetic, or `x.apply { … }`.
public struct Tracer: Sendable {
    let builder: GraphBuilder
    let id: NodeID

    var node: Node { builder.nodes[id.index] }

    /// The shape of the traced value.
    public var shape: [Int] { node.shape }

    /// Records `operation` on this tracer and `others`. Named functions pass the caller's source
    /// location (their `#fileID`/`#line` defaults); operators cannot take one and pass nil.
    func make(_ operation: Operation, _ others: [Tracer] = [], kind: ValueKind? = nil,
              location: SourceLocation? = nil) -> Tracer {
        precondition(others.allSatisfy { $0.builder === builder }, "tracers of two different traces cannot be combined")
        return Tracer(builder: builder, id: builder.add(operation, [id] + others.map(\.id), kind: kind, location: location))
    }

    func constant(_ value: Int) -> Tracer { Tracer(builder: builder, id: builder.constant(Tensor(value), location: nil)) }

    func floatConstant(_ value: Double) -> Tracer { Tracer(builder: builder, id: builder.floatConstant(value, location: nil)) }

    func binary(_ operation: BinaryOperation, _ other: Tracer, location: SourceLocation? = nil) -> Tracer {
        if operation.isIntegerOnly && (node.kind == .float || other.node.kind == .float) {
            builder.fail("\(operation.rawValue) needs integers: call .toInt() first", location)
        }
        return make(.binary(operation), [other], kind: operation.isComparison ? .integer : nil, location: location)
    }
}
