import FHEProgram
import Foundation
import Testing

/// Linear maps built by index arithmetic against the reference: the operation applied to every
/// basis tensor of the input in the clear (what the runtime did before, in O(elements²)).
@Suite("Linear maps")
struct LinearMapTests {
    /// Column i of the map: the operation on the i-th basis tensor.
    static func reference(_ operation: ClearOperation, inputShape: [Int], outputShape: [Int]) throws -> [[(Int, Int64)]] {
        let count = Tensor.elementCount(of: inputShape)
        var rows = [[(Int, Int64)]](repeating: [], count: Tensor.elementCount(of: outputShape))
        for i in 0..<count {
            var basis = [Int64](repeating: 0, count: count)
            basis[i] = 1
            let column = try operation.evaluate(shape: outputShape, operands: [Tensor(int64: basis, shape: inputShape)])
            for (j, weight) in column.elements.enumerated() where weight != 0 { rows[j].append((i, weight)) }
        }
        return rows
    }

    static let cases: [(ClearOperation, [Int], [Int])] = [
        (.reshape([3, 4]), [2, 6], [3, 4]), (.reshape([]), [1], []), (.reshape([0, 2]), [0], [0, 2]),
        (.transpose, [2, 3, 4], [4, 3, 2]), (.transpose, [5], [5]), (.transpose, [], []),
        (.index(1), [3, 4], [4]), (.index(-1), [3, 2, 2], [2, 2]), (.index(0), [5], []),
        (.sum(axis: nil), [2, 3], []), (.sum(axis: 0), [2, 3], [3]), (.sum(axis: -1), [2, 3], [2]),
        (.sum(axis: 1), [2, 3, 4], [2, 4]), (.sum(axis: 0), [0, 3], [3]), (.sum(axis: nil), [0], []),
        (.dot(Tensor([3, 0, -2, 1], shape: [4])), [4], []),
        (.matmul(Tensor([1, 0, 2, -1, 3, 0], shape: [3, 2])), [2, 3], [2, 2]),
        (.matmul(Tensor([1, 0, 2], shape: [3])), [2, 3], [2]),
        (.matmul(Tensor([2, 0, 1, 5, -4, 0], shape: [2, 3])), [2], [3]),
    ]

    @Test("every kind of map equals the basis-tensor reference", arguments: 0..<cases.count)
    func matchesReference(_ index: Int) throws {
        let (operation, input, output) = Self.cases[index]
        let map = try #require(LinearMap(operation, inputShape: input, outputShape: output))
        let expected = try Self.reference(operation, inputShape: input, outputShape: output)
        #expect(map.outputCount == expected.count)
        for j in 0..<map.outputCount {
            let inputs: [Int] = map.terms(of: j).map { Int($0.0) }, weights: [Int64] = map.terms(of: j).map { $0.1 }
            #expect(inputs == expected[j].map { $0.0 } && weights == expected[j].map { $0.1 }, "output \(j) of \(operation.name)")
        }
        #expect(LinearMap.termCount(of: operation, inputShape: input) == map.termCount)
    }

    @Test("a map of 2^20 elements has 2^20 terms (the basis derivation took more than 30 s)")
    func largeMaps() throws {
        let reshape = try #require(LinearMap(.reshape([1 << 20]), inputShape: [1024, 1024], outputShape: [1 << 20]))
        #expect(reshape.termCount == 1 << 20)
        let transpose = try #require(LinearMap(.transpose, inputShape: [1024, 1024], outputShape: [1024, 1024]))
        #expect(transpose.termCount == 1 << 20)
        #expect(Array(transpose.terms(of: 1).map { $0.0 }) == [1024] && Array(transpose.terms(of: 1024).map { $0.0 }) == [1])
        #expect(LinearMap(.binary(.add), inputShape: [2], outputShape: [2]) == nil)
    }
}
