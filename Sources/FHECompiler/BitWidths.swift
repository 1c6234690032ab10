/// An integer type of a circuit value: signed or not, and its width in bits.
public struct IntegerType: Sendable, Hashable, CustomStringConvertible {
    public let isSigned: Bool
    public let width: Int

    /// The smallest type that holds every value of `range`.
    public static func covering(_ range: ClosedRange<Int64>) -> IntegerType {
        func bits(_ value: Int64) -> Int { 64 - value.leadingZeroBitCount }   // for value ≥ 0
        if range.lowerBound >= 0 { return IntegerType(isSigned: false, width: max(1, bits(range.upperBound))) }
        return IntegerType(isSigned: true, width: max(bits(-(range.lowerBound + 1)), bits(max(range.upperBound, 0))) + 1)
    }

    public var description: String { "\(isSigned ? "int" : "uint")\(width)" }
}

/// Bit-widths: every integer node gets the smallest type covering its bounds, except that the
/// values a levelled operation combines live in one ciphertext encoding, so each connected group
/// of levelled operations (add, subtract, negate, multiplication by a clear value, sum, dot,
/// matmul and the shape operations) shares one type, the one covering all its members.
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

    /// The type of every integer node (nil for floats), from its bounds.
    func integerTypes(bounds: [ClosedRange<Int64>?]) -> [IntegerType?] {
        var parent = Array(nodes.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        for (index, node) in nodes.enumerated() where node.isEncrypted && !isLookup(index) {
            for input in node.inputs where nodes[input.index].isEncrypted { parent[find(input.index)] = find(index) }
        }
        var groupRange = [Int: ClosedRange<Int64>]()
        for (index, range) in bounds.enumerated() {
            guard let range, nodes[index].isEncrypted else { continue }
            let root = find(index)
            groupRange[root] = groupRange[root].map { min($0.lowerBound, range.lowerBound)...max($0.upperBound, range.upperBound) } ?? range
        }
        return bounds.enumerated().map { index, range in
            guard let range else { return nil }
            return IntegerType.covering(nodes[index].isEncrypted ? groupRange[find(index)]! : range)
        }
    }
}
