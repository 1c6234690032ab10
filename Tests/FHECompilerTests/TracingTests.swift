import FHECompiler
import Foundation
import Testing
import TestSupport

@Suite("Tracing and clear evaluation")
struct TracingTests {
    @Test("the DESIGN.md example evaluates like the Swift function")
    func designExample() throws {
        let compiler = Compiler(["x": .encrypted, "y": .clear]) { args in
            let (x, y) = (args[0], args[1])
            return (x * x + y) % 13
        }
        let graph = try compiler.trace(inputShapes: [[], []])
        #expect(graph[graph.output].isEncrypted)
        #expect(graph[graph.inputs[1]].isEncrypted == false)
        for x in 0..<16 {
            for y in [0, 1, 2, 7] {
                #expect(try graph.evaluate([Tensor(x), Tensor(y)]) == Tensor((x * x + y) % 13))
            }
        }
    }

    /// Every scalar integer operation against Swift, on random inputs in [−20, 20].
    @Test("scalar integer operations", arguments: 0..<22)
    func scalarOperations(case index: Int) throws {
        let cases: [(([Tracer]) -> Tracer, (Int, Int) -> Int)] = [
            ({ $0[0] + $0[1] }, { $0 + $1 }), ({ $0[0] - $0[1] }, { $0 - $1 }), ({ $0[0] * $0[1] }, { $0 * $1 }),
            ({ 3 - $0[0] }, { a, _ in 3 - a }), ({ -$0[0] }, { a, _ in -a }), ({ $0[0] / 4 }, { a, _ in floorDivide(a, 4) }),
            ({ $0[0] % 5 }, { a, _ in floorRemainder(a, 5) }), ({ $0[0] / -3 }, { a, _ in floorDivide(a, -3) }),
            ({ $0[0] < $0[1] }, { $0 < $1 ? 1 : 0 }), ({ $0[0] <= 2 }, { a, _ in a <= 2 ? 1 : 0 }),
            ({ $0[0] > $0[1] }, { $0 > $1 ? 1 : 0 }), ({ $0[0] >= $0[1] }, { $0 >= $1 ? 1 : 0 }),
            ({ $0[0] == $0[1] }, { $0 == $1 ? 1 : 0 }), ({ $0[0] != 3 }, { a, _ in a != 3 ? 1 : 0 }),
            ({ $0[0] & $0[1] }, { $0 & $1 }), ({ $0[0] | 6 }, { a, _ in a | 6 }), ({ $0[0] ^ $0[1] }, { $0 ^ $1 }),
            ({ $0[0] << 2 }, { a, _ in a << 2 }), ({ $0[0] >> 1 }, { a, _ in a >> 1 }),
            ({ abs($0[0]) + relu($0[1]) }, { Swift.abs($0) + Swift.max($1, 0) }),
            ({ minimum($0[0], $0[1]) * maximum($0[0], $0[1]) }, { Swift.min($0, $1) * Swift.max($0, $1) }),
            ({ $0[0].apply { $0 * $0 % 7 } }, { a, _ in a * a % 7 }),
        ]
        let (traced, direct) = cases[index]
        let graph = try Compiler(["x": .encrypted, "y": .encrypted]) { traced($0) }.trace(inputShapes: [[], []])
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let x = Int.random(in: -20...20, using: &generator), y = Int.random(in: -20...20, using: &generator)
            #expect(try graph.evaluate([Tensor(x), Tensor(y)]) == Tensor(direct(x, y)), "x \(x), y \(y)")
        }
    }

    @Test("float subgraphs, tables and rounding")
    func floatsAndTables() throws {
        let graph = try Compiler(["x": .encrypted]) { args in
            let x = args[0]
            let wave = (7 * sin(x) + 7).rounded().toInt()
            let squash = (sigmoid(x * 0.5) * 10).floor().toInt()
            return wave + LookupTable([5, 1, 4, 2])[x % 4] + squash + roundBitPattern(x * 8, lsbsToRemove: 3)
        }.trace(inputShapes: [[]])
        for x in -8...15 {
            let wave = Int((7 * Foundation.sin(Double(x)) + 7).rounded(.toNearestOrEven))
            let squash = Int((10 / (1 + Foundation.exp(-Double(x) * 0.5))).rounded(.down))
            let table = [5, 1, 4, 2][floorRemainder(x, 4)]
            let rounded = ((x * 8 + 4) >> 3) << 3
            #expect(try graph.evaluate([Tensor(x)]) == Tensor(wave + table + squash + rounded), "x \(x)")
        }
        let negative = try Compiler(["x": .encrypted]) { LookupTable([10, 20, 30])[$0[0]] }.trace(inputShapes: [[]])
        #expect(try negative.evaluate([Tensor(-1)]) == 30)
    }

    @Test("tensors: broadcasting, reductions, products and reshaping")
    func tensors() throws {
        let weights: Tensor = [[1, -2], [0, 3], [2, 1]]
        let graph = try Compiler(["m": .encrypted, "v": .clear]) { args in
            let (m, v) = (args[0], args[1])           // m: 2×3, v: 3
            let broadcast = m + v                     // 2×3
            let rows = broadcast.sum(axis: 1)         // 2
            let columns = broadcast.sum(axis: 0)      // 3
            let product = matmul(m, weights)          // 2×2
            let flat = concatenate([rows, columns, product.reshaped([4]), m.transposed()[2]])   // 2 + 3 + 4 + 2
            return flat.dot([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) + m[1].sum() * 100
        }.trace(inputShapes: [[2, 3], [3]])
        let m: Tensor = [[1, 2, 3], [4, 5, 6]], v: Tensor = [10, 20, 30]
        // rows [66, 75], columns [25, 47, 69], product [[7, 7], [16, 13]], m transposed row 2: [3, 6]
        let flat = [66, 75, 25, 47, 69, 7, 7, 16, 13, 3, 6]
        let expected = zip(flat, 1...11).map(*).reduce(0, +) + 15 * 100
        #expect(try graph.evaluate([m, v]) == Tensor(expected))
    }

    @Test("invalid operations are reported with their source line")
    func errors() throws {
        #expect(throws: CompilationError.self) {
            try Compiler(["a": .encrypted, "b": .encrypted]) { $0[0] + $0[1] }.trace(inputShapes: [[2, 3], [2]])
        }
        do {
            _ = try Compiler(["a": .encrypted]) { ($0[0] * 1.5) % 2 }.trace(inputShapes: [[]])
            Issue.record("traced % on a float")
        } catch let error as CompilationError {
            #expect(error.description.contains("needs integers: call .toInt() first"))
            #expect(!error.description.contains("Tracer+"))   // operators carry no location, never the library's
        }
        do {
            _ = try Compiler(["a": .encrypted]) { $0[0].sum(axis: 3) }.trace(inputShapes: [[2]])
            Issue.record("traced an axis out of range")
        } catch let error as CompilationError {
            #expect(error.description.hasPrefix("FHECompilerTests/TracingTests.swift:"), "\(error)")
            #expect(error.description.contains("axis 3 is out of range for shape [2]"))
        }
        let floatResult = try Compiler(["a": .encrypted]) { $0[0] * 1.5 }.trace(inputShapes: [[]])
        #expect(throws: CompilationError.self) { try floatResult.evaluate([Tensor(2)]) }
        let graph = try Compiler(["a": .encrypted]) { $0[0] + 1 }.trace(inputShapes: [[3]])
        #expect(throws: CompilationError.self) { try graph.evaluate([Tensor(2)]) }
        #expect(throws: CompilationError.self) { try graph.evaluate([]) }
        #expect(throws: CompilationError.self) { try Compiler(["a": .encrypted]) { $0[0] }.trace(inputShapes: []) }
        let overflow = try Compiler(["a": .encrypted]) { $0[0] * $0[0] }.trace(inputShapes: [[]])
        #expect(throws: CompilationError.self) { try overflow.evaluate([Tensor(1 << 40)]) }
    }
}
