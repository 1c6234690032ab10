import FHEProgram

/// Records the nodes of one trace. Each trace has its own builder, reached through its tracers:
/// there is no global state. Operators cannot throw, so the first invalid operation is kept and
/// reported when the trace ends.
final class GraphBuilder: @unchecked Sendable {
    // Used by one trace on one thread at a time.
    private(set) var nodes: [Node] = []
    private(set) var firstError: CompilationError?

    func add(_ operation: Operation, inputs: [NodeID], shape: [Int], kind: ValueKind, isEncrypted: Bool,
             location: SourceLocation?) -> NodeID {
        nodes.append(Node(operation: operation, inputs: inputs, shape: shape, kind: kind,
                          isEncrypted: isEncrypted, location: location))
        return NodeID(index: nodes.count - 1)
    }

    /// Adds an operation on existing nodes, inferring its shape, kind and encryption status.
    func add(_ operation: Operation, _ inputs: [NodeID], kind: ValueKind? = nil, location: SourceLocation?) -> NodeID {
        let operands = inputs.map { nodes[$0.index] }
        var shape = operands.first?.shape ?? []
        switch ShapeInference.shape(of: operation, operands: operands.map(\.shape)) {
        case let .success(inferred): shape = inferred
        case let .failure(error): fail("\(operation.name): \(error.message)", location)
        }
        let resultKind = kind ?? (operands.contains { $0.kind == .float } ? .float : .integer)
        return add(operation, inputs: inputs, shape: shape, kind: resultKind,
                   isEncrypted: operands.contains { $0.isEncrypted }, location: location)
    }

    func constant(_ tensor: Tensor, location: SourceLocation?) -> NodeID {
        add(.constant(tensor), inputs: [], shape: tensor.shape, kind: .integer, isEncrypted: false, location: location)
    }

    func floatConstant(_ value: Double, location: SourceLocation?) -> NodeID {
        add(.floatConstant(value), inputs: [], shape: [], kind: .float, isEncrypted: false, location: location)
    }

    func fail(_ message: String, _ location: SourceLocation?) {
        if firstError == nil { firstError = .invalidOperation(message, location: location) }
    }
}
