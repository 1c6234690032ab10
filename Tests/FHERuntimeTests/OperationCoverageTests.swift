import FHECompiler
import FHERuntime
import Foundation
import Testing

/// Every operation of DESIGN.md §5 in FHE, grouped into a few circuits to keep keygen cheap:
/// FHE equals simulate equals a direct Swift evaluation on samples of the inputset.
@Suite("Operations in FHE")
struct OperationCoverageTests {
    private func check(_ compiler: Compiler, inputset: [[Tensor]], samples: Int = 3,
                       _ direct: ([Tensor]) -> Tensor) throws {
        let circuit = try compiler.compile(inputset: inputset)
        try circuit.keygen()
        for sample in inputset.prefix(samples) {
            #expect(try circuit.simulate(arguments: sample) == direct(sample), "simulate \(sample)")
            #expect(try circuit.encryptRunDecrypt(arguments: sample) == direct(sample), "FHE \(sample)")
        }
    }

    @Test("univariate lookups: bitwise, shifts, comparisons with constants, tables, apply, rounding, division")
    func univariate() throws {
        let compiler = Compiler(["x": .encrypted]) { args in
            let x = args[0]
            let bitwise = (x & 6) + (x | 1) + (x ^ 5) + (x << 1) + (x >> 2)
            let comparisons = (x == 3) + (x != 4) + (x <= 7) + (x > 9) + (x >= 2) + (x < 5)
            let others = LookupTable([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3])[x] + x.apply { $0 * 3 % 7 }
                + roundBitPattern(x, lsbsToRemove: 2) + abs(x - 8) + x / 3 + x % 5 + maximum(x, x * 0 + 6)
            return bitwise + comparisons + others
        }
        let inputset = [13, 0, 7, 15, 4, 9, 1, 2, 3, 5, 6, 8, 10, 11, 12, 14].map { [Tensor($0)] }
        try check(compiler, inputset: inputset, samples: 4) { sample in
            let x = Int(sample[0].scalar)
            let bitwise = (x & 6) + (x | 1) + (x ^ 5) + (x << 1) + (x >> 2)
            let comparisons = [x == 3, x != 4, x <= 7, x > 9, x >= 2, x < 5].map { $0 ? 1 : 0 }.reduce(0, +)
            let table = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3][x]
            let rounded = ((x + 2) >> 2) << 2
            let others = table + x * 3 % 7 + rounded + Swift.abs(x - 8) + x / 3 + x % 5 + max(x, 6)
            return Tensor(bitwise + comparisons + others)
        }
    }

    @Test("bitwise operations and shifts of two encrypted values (one packed lookup each)")
    func packedBivariate() throws {
        let compiler = Compiler(["x": .encrypted, "y": .encrypted]) { args in
            let (x, y) = (args[0], args[1])   // x: 4 bits, y: 2 bits, packed: 6 bits
            return (x & y) + (x | y) + (x ^ y) + (x >> y) + ((x & 3) << y)
        }
        let inputset = (0..<16).map { [Tensor($0), Tensor(($0 * 7) % 4)] }
        try check(compiler, inputset: inputset, samples: 4) { sample in
            let (x, y) = (Int(sample[0].scalar), Int(sample[1].scalar))
            return Tensor((x & y) + (x | y) + (x ^ y) + (x >> y) + ((x & 3) << y))
        }
    }

    @Test("lookups with one table per element (tensor constants)")
    func perElementTables() throws {
        let compiler = Compiler(["x": .encrypted]) { args in
            (args[0] % [2, 3, 5, 7]) * 2 + (args[0] > [1, 3, 5, 7]) + ([15, 14, 13, 12] - args[0])
        }
        let inputset = (0..<16).map { i in [Tensor((0..<4).map { (i + 5 * $0) % 16 }, shape: [4])] }
        try check(compiler, inputset: inputset) { sample in
            let x = sample[0].elements.map(Int.init)
            return Tensor((0..<4).map { i in
                x[i] % [2, 3, 5, 7][i] * 2 + (x[i] > [1, 3, 5, 7][i] ? 1 : 0) + ([15, 14, 13, 12][i] - x[i])
            }, shape: [4])
        }
    }

    @Test("tensors: broadcasting with a clear argument, matmul, transpose, reshape, index, concatenate, sums")
    func tensors() throws {
        let weights: Tensor = [[1, 0], [2, 1], [0, 1]]
        let compiler = Compiler(["x": .encrypted, "c": .clear]) { args in
            let (x, c) = (args[0], args[1])                  // x: 2×3, c: 3
            let z = matmul(x + c, weights)                    // 2×2
            let u = concatenate([z.transposed().reshaped([4]), x[1]])   // 7
            return relu(u - 3) * 2 + u.sum() + (x.sum(axis: 0) - c).sum()
        }
        let inputset: [[Tensor]] = (0..<8).map { i in
            [Tensor([i % 2, (i / 2) % 2, (i / 4) % 2, (i + 1) % 2, 1, i % 2], shape: [2, 3]), Tensor([i % 2, 1, 0], shape: [3])]
        }
        try check(compiler, inputset: inputset) { sample in
            let x = sample[0].elements.map(Int.init), c = sample[1].elements.map(Int.init)
            let y = (0..<6).map { x[$0] + c[$0 % 3] }
            let w = [[1, 0], [2, 1], [0, 1]]
            func entry(_ r: Int, _ col: Int) -> Int {
                var total = 0
                for k in 0..<3 { total += y[r * 3 + k] * w[k][col] }
                return total
            }
            let z = [[entry(0, 0), entry(0, 1)], [entry(1, 0), entry(1, 1)]]
            let u = [z[0][0], z[1][0], z[0][1], z[1][1]] + Array(x[3...5])
            var columnSums = 0
            for k in 0..<3 { columnSums += x[k] + x[3 + k] - c[k] }
            let total = u.reduce(0, +) + columnSums
            let result: [Int] = u.map { value in max(value - 3, 0) * 2 + total }
            return Tensor(result, shape: [7])
        }
    }
}

/// One lookup at each input width the issue names: every input value for 1 to 6 bits, a spread
/// of 16 for 8 bits (whose keys take seconds), in one batched run each.
@Suite("Lookups at every width in FHE")
struct WidthTests {
    @Test("a lookup of every value at widths 1…6, and 8", arguments: [1, 2, 3, 4, 5, 6, 8])
    func width(bits: Int) throws {
        let count = 1 << bits
        let values = bits == 8 ? (0..<16).map { ($0 * 37 + 11) % 256 } : Array(0..<count)
        let compiler = Compiler(["x": .encrypted]) { $0[0].apply { ($0 * 5 + 3) % count } }
        let inputset = [Tensor(Array(0..<values.count).map { $0 % count }, shape: [values.count]),
                        Tensor(Array(0..<values.count).map { count - 1 - $0 % count }, shape: [values.count])].map { [$0] }
        let circuit = try compiler.compile(inputset: inputset)
        #expect(circuit.statistics.maxBitWidth == bits)
        try circuit.keygen()
        let argument = Tensor(values, shape: [values.count])
        let expected = Tensor(values.map { ($0 * 5 + 3) % count }, shape: [values.count])
        #expect(try circuit.simulate(argument) == expected)
        #expect(try circuit.encryptRunDecrypt(argument) == expected)
    }
}
