import FHEProgram

/// Whether a circuit parameter is encrypted by the client or given in the clear.
public enum EncryptionStatus: Sendable, Hashable {
    case encrypted, clear
}

/// Where a node was traced in the user's code.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let fileID: String
    public let line: Int
    public var description: String { "\(fileID):\(line)" }
}

/// The index of a node in its graph.
public struct NodeID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let index: Int
    public static func < (a: NodeID, b: NodeID) -> Bool { a.index < b.index }
    public var description: String { "%\(index)" }
}

/// Integer or floating-point values.
public enum ValueKind: Sendable, Hashable {
    case integer, float
}

/// One operation of a traced program, with its inputs and what it produces.
public struct Node: Sendable {
    public let operation: Operation
    public let inputs: [NodeID]
    public let shape: [Int]
    public let kind: ValueKind
    public let isEncrypted: Bool
    public let location: SourceLocation?
}

/// A traced program: nodes in an array, each after its inputs; the last is the output.
public struct Graph: Sendable {
    public internal(set) var nodes: [Node]
    /// The parameter nodes, in parameter order.
    public internal(set) var inputs: [NodeID]
    /// The result node.
    public internal(set) var output: NodeID

    public subscript(id: NodeID) -> Node { nodes[id.index] }
}
