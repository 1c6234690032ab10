@testable import FHECompiler
import Foundation
import Testing

/// The clear semantics at the edges of Int64: every operation gives the exact (numpy) result
/// or throws, checked against 128-bit arithmetic; broadcasting follows numpy with zero-size
/// dimensions; compiled tables stay within their result types.
@Suite("Checked clear semantics")
struct CheckedSemanticsTests {
    static let edges: [Int64] = [.min, .min + 1, -(1 << 32), -7, -2, -1, 0, 1, 2, 7, 1 << 32, .max - 1, .max]

    /// The operation on two scalars, or nil when it throws.
    static func evaluate(_ operation: BinaryOperation, _ x: Int64, _ y: Int64) -> Int64? {
        try? ClearOperation.binary(operation).evaluate(shape: [], operands: [Tensor(int64: [x], shape: []), Tensor(int64: [y], shape: [])]).scalar
    }

    /// The result in 128 bits when it fits 64, else nil (an error is expected).
    static func fitting(_ exact: Int128) -> Int128? {
        exact >= Int128(Int64.min) && exact <= Int128(Int64.max) ? exact : nil
    }

    /// numpy's floor division and remainder, in 128 bits.
    static func reference(_ operation: BinaryOperation, _ x: Int64, _ y: Int64) -> Int128? {
        let (a, b) = (Int128(x), Int128(y))
        var quotient = a / b
        if a % b != 0 && ((a < 0) != (b < 0)) { quotient -= 1 }
        return fitting(operation == .floorDivide ? quotient : a - quotient * b)
    }

    @Test("floor_divide and remainder: exact or an error at every pair of edge values", arguments: [BinaryOperation.floorDivide, .remainder])
    func division(_ operation: BinaryOperation) {
        for x in Self.edges {
            for y in Self.edges where y != 0 {
                let expected: Int128? = Self.reference(operation, x, y)
                #expect(Self.evaluate(operation, x, y).map { Int128($0) } == expected, "\(x) \(operation) \(y)")
            }
            #expect(Self.evaluate(operation, x, 0) == nil)
        }
        #expect(Self.evaluate(.remainder, .max, -2) == -1)
        #expect(Self.evaluate(.floorDivide, .min, -1) == nil)
        #expect(Self.evaluate(.remainder, .min, -1) == 0)
    }

    @Test("add, subtract, multiply, shifts: exact or an error, in 128 bits")
    func arithmetic() {
        for x in Self.edges {
            for y in Self.edges {
                for (operation, exact) in [(BinaryOperation.add, Int128(x) + Int128(y)), (.subtract, Int128(x) - Int128(y)),
                                           (.multiply, Int128(x) * Int128(y))] {
                    let expected: Int128? = Self.fitting(exact)
                    #expect(Self.evaluate(operation, x, y).map { Int128($0) } == expected, "\(x) \(operation) \(y)")
                }
            }
            for shift in [Int64(-1), 0, 1, 62, 63, 64] {
                let valid = (0...62).contains(shift)
                #expect((Self.evaluate(.rightShift, x, shift) != nil) == valid)
                let expected: Int128? = valid ? Self.fitting(Int128(x) << Int128(shift)) : nil
                #expect(Self.evaluate(.leftShift, x, shift).map { Int128($0) } == expected)
            }
        }
    }

    @Test("negate, abs and round_bit_pattern throw where Int64 cannot hold the result")
    func unary() throws {
        func run(_ operation: ClearOperation, _ x: Int64) -> Int64? {
            try? operation.evaluate(shape: [], operands: [Tensor(int64: [x], shape: [])]).scalar
        }
        #expect(run(.unary(.negate), .min) == nil && run(.unary(.negate), .max) == -.max)
        #expect(run(.unary(.absolute), .min) == nil && run(.unary(.absolute), .min + 1) == .max)
        #expect(run(.roundBitPattern(lsbsToRemove: 3), .max) == nil)
        #expect(run(.roundBitPattern(lsbsToRemove: 3), .max - 3) == nil)   // + 4 passes Int64.max
        #expect(run(.roundBitPattern(lsbsToRemove: 3), .max - 4) == .max & ~7)
        #expect(run(.roundBitPattern(lsbsToRemove: 3), .min) == .min)
        #expect(run(.roundBitPattern(lsbsToRemove: 2), -7) == -8 && run(.roundBitPattern(lsbsToRemove: 2), -6) == -4)
    }

    @Test("broadcasting follows numpy, zero-size dimensions included")
    func broadcasting() {
        let cases: [([Int], [Int], [Int]?)] = [
            ([0], [1], [0]), ([1], [0], [0]), ([], [0], [0]), ([0], [], [0]), ([2, 0], [1], [2, 0]), ([3, 1], [1, 0], [3, 0]),
            ([0], [2], nil), ([2, 3], [3], [2, 3]), ([4, 1], [1, 5], [4, 5]), ([], [], []), ([2], [3], nil),
        ]
        for (a, b, expected) in cases { #expect(ShapeInference.broadcast(a, b) == expected, "\(a) with \(b)") }
        // The evaluator follows: a [0] tensor with a scalar gives [0].
        let sum = try? ClearOperation.binary(.add).evaluate(shape: [0], operands: [Tensor(int64: [], shape: [0]), Tensor(3)])
        #expect(sum == Tensor(int64: [], shape: [0]))
    }

    @Test("compiled tables hold only values of their result type, and the program validates")
    func tablesWithinTypes() throws {
        // x in 0…5 of a uint3: the entries for 6 and 7 (36, 49) are outside the result's uint5.
        let program = try Compiler(["x": .encrypted]) { $0[0].apply { $0 * $0 } }.compileProgram(inputset: (0...5).map { [Tensor($0)] })
        var checked = 0
        for case let .lookup(destination, _, table) in program.program.instructions {
            let type = try #require(program.registerTypes[destination])
            #expect(table.allSatisfy(type.contains), "\(table) in \(type)")
            #expect(Array(table.prefix(6)) == [0, 1, 4, 9, 16, 25])
            checked += 1
        }
        #expect(checked == 1)
        try program.program.validate(registerTypes: program.registerTypes)
        #expect(try program.simulate(5) == 25)
    }

    @Test("validation refuses a reshape whose element count overflows, instead of trapping")
    func overflowingShape() {
        let program = Program(registers: [.init(shape: [4], isEncrypted: true), .init(shape: [4], isEncrypted: true)],
                              instructions: [.argument(0, index: 0), .reshape(1, 0, shape: [1 << 40, 1 << 40, 0, 4])],
                              arguments: [0], result: 1)
        let uint4 = IntegerType(isSigned: false, width: 4)
        #expect(throws: InvalidProgram.self) { try program.validate(registerTypes: [uint4, uint4]) }
        #expect(Tensor.checkedElementCount(of: [1 << 40, 1 << 40]) == nil && Tensor.checkedElementCount(of: [3, -1]) == nil)
    }
}
