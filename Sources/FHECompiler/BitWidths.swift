/// An integer type of a circuit value: signed or not, and its width in bits.
public struct IntegerType: Sendable, Hashable, CustomStringConvertible {
    public let isSigned: Bool
    public let width: Int

    public init(isSigned: Bool, width: Int) {
        self.isSigned = isSigned
        self.width = width
    }

    /// The smallest type that holds every value of `range`.
    public static func covering(_ range: ClosedRange<Int64>) -> IntegerType {
        func bits(_ value: Int64) -> Int { 64 - value.leadingZeroBitCount }   // for value ≥ 0
        if range.lowerBound >= 0 { return IntegerType(isSigned: false, width: max(1, bits(range.upperBound))) }
        return IntegerType(isSigned: true, width: max(bits(-(range.lowerBound + 1)), bits(max(range.upperBound, 0))) + 1)
    }

    public var description: String { "\(isSigned ? "int" : "uint")\(width)" }
}

extension Graph {
    /// Whether node `index` is computed by a table lookup (its encrypted inputs are lookup inputs).
    func isLookup(_ index: Int) -> Bool {
        let node = nodes[index]
        guard node.isEncrypted else { return false }
        switch node.operation {
        case .fused, .apply, .lookupTable, .roundBitPattern: return true
        case let .unary(operation): return operation == .absolute || operation == .relu
        case let .binary(operation):
            switch operation {
            case .add, .subtract: return false
            case .multiply: return node.inputs.allSatisfy { nodes[$0.index].isEncrypted }
            default: return true
            }
        default: return false
        }
    }
}
