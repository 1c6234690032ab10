import FHECompiler
import Testing

@Suite("Tensor")
struct TensorTests {
    @Test("literals and initializers agree")
    func literals() {
        let scalar: Tensor = 7
        #expect(scalar == Tensor(7) && scalar.shape == [] && scalar.scalar == 7)
        let vector: Tensor = [1, 2, 3]
        #expect(vector == Tensor([1, 2, 3], shape: [3]))
        let matrix: Tensor = [[1, 2], [3, 4], [5, 6]]
        #expect(matrix.shape == [3, 2] && matrix.elements == [1, 2, 3, 4, 5, 6])
        #expect(matrix.description == "[[1, 2], [3, 4], [5, 6]]")
        #expect(Tensor(-3).description == "-3")
        #expect(Tensor.elementCount(of: [2, 3, 4]) == 24 && Tensor.elementCount(of: []) == 1)
    }

    @Test("hashable: equal tensors hash alike, shapes matter")
    func hashing() {
        let flat = Tensor([1, 2, 3, 4], shape: [4]), square = Tensor([1, 2, 3, 4], shape: [2, 2])
        #expect(flat != square)
        #expect(Set([flat, square, [1, 2, 3, 4]]).count == 2)
    }
}
