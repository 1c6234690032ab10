import FHECompiler
import FHEOptimizer
import Foundation
import Testing

@Suite("compileProgram: bounds, bit-widths, checks, printing, simulate")
struct CompileTests {
    static func designExample() -> Compiler {
        Compiler(["x": .encrypted, "y": .clear]) { args in
            let (x, y) = (args[0], args[1])
            return (x * x + y) % 13
        }
    }

    @Test("the DESIGN.md example compiles, prints and simulates")
    func designExample() throws {
        let program = try Self.designExample().compileProgram(inputset: [[3, 1], [15, 2], [0, 0]])
        #expect(try program.simulate(7, 2) == Tensor((49 + 2) % 13))
        for x in 0...15 { for y in 0...2 { #expect(try program.simulate(Tensor(x), Tensor(y)) == Tensor((x * x + y) % 13)) } }
        #expect(program.maxBitWidth == 8)   // x·x + y reaches 227
        #expect(program.lookupCount == 2)   // x·x (univariate: one lookup) and the remainder
    }

    @Test("arguments outside the compiled types are rejected")
    func argumentTypes() throws {
        let program = try Compiler(["x": .encrypted]) { ($0[0] * 2 + 1) % 5 }.compileProgram(inputset: [[0], [15]])
        do {
            // x shares its encoding with 2x + 1 ∈ [1, 31]: 5 bits.
            _ = try program.simulate(32)
            Issue.record("accepted 32 for a 5-bit input")
        } catch let error as CompilationError {
            #expect(error.description == "expected EncryptedScalar<uint5>, got 32")
        }
        #expect(try program.simulate(15) == Tensor(31 % 5))
        // 31 is a uint5 but 2·31 + 1 = 63 is not: it sets the padding bit, and the lookup returns
        // the negated entry of 63 − 32 = 31, that is −(31 % 5) = −1, which decodes as 1 in the
        // result's single bit (its bounds on the inputset are [1, 1]): what FHE returns too.
        #expect(try program.simulate(31) == 1)
        #expect(try program.simulate(2) == 0)   // 5 % 5: outside the result's bounds, wrapped to 1 bit
        #expect(throws: CompilationError.self) { try program.simulate(1, 2) }
    }

    @Test("an encrypted value wider than 32 bits is reported")
    func tooWideValue() {
        do {
            _ = try Compiler(["x": .encrypted]) { $0[0] * 1_000_000 * 1_000_000 }.compileProgram(inputset: [[0], [15]])
            Issue.record("compiled a 44-bit encrypted value")
        } catch let error as CompilationError {
            #expect(error.description.contains("this encrypted value needs 44 bits"), "\(error)")
        } catch { Issue.record("\(error)") }
    }

    @Test("a rounding that removes every bit, and a result too wide to decrypt after a lookup, are reported")
    func impossibleRoundingAndResult() {
        do {
            _ = try Compiler(["x": .encrypted]) { roundBitPattern($0[0], lsbsToRemove: 4) }.compileProgram(inputset: [[0], [7]])
            Issue.record("compiled a rounding of every bit")
        } catch let error as CompilationError {
            #expect(error.description.contains("round_bit_pattern removes 4 bits of a 3-bit value"), "\(error)")
        } catch { Issue.record("\(error)") }
        do {
            _ = try Compiler(["x": .encrypted]) { ($0[0] % 5) * 1_000_000 }.compileProgram(inputset: (0..<16).map { [Tensor($0)] })
            Issue.record("compiled a 22-bit multiple of a PBS output")
        } catch let error as OptimizerError {
            #expect(String(describing: error).contains("decrypting a 22-bit result"), "\(error)")
        } catch { Issue.record("\(error)") }
    }

    @Test("bad inputsets are reported")
    func badInputsets() {
        #expect(throws: CompilationError.self) { try Self.designExample().compileProgram(inputset: []) }
        #expect(throws: CompilationError.self) { try Self.designExample().compileProgram(inputset: [[1, 2], [3]]) }
        #expect(throws: CompilationError.self) { try Self.designExample().compileProgram(inputset: [[1, 2], [[1, 2], 3]]) }
    }

    @Test("a float subgraph becomes one lookup and simulates like Swift")
    func floatProgram() throws {
        let program = try Compiler(["x": .encrypted]) { (7 * sin($0[0]) + 7).rounded().toInt() }
            .compileProgram(inputset: (0...15).map { [Tensor($0)] })
        for x in 0...15 {
            #expect(try program.simulate(Tensor(x)) == Tensor(Int((7 * Foundation.sin(Double(x)) + 7).rounded(.toNearestOrEven))))
        }
        #expect(program.lookupCount == 1 && program.maxBitWidth == 4)
    }
}

@Suite("Lowering to a Program")
struct LoweringTests {
    @Test("two-variable operations: x·y is two lookups, comparisons and max one each; signed inputs")
    func bivariate() throws {
        let compiler = Compiler(["x": .encrypted, "y": .encrypted]) { args in
            let (x, y) = (args[0], args[1])
            return x * y + maximum(x, y) - (x >= y) + minimum(x, y) * 2
        }
        let inputset = (-4...3).flatMap { x in (0...5).map { y in [Tensor(x), Tensor(y)] } }
        let program = try compiler.compileProgram(inputset: inputset)
        #expect(program.lookupCount == 5)   // 2 for x·y, 1 each for max, ≥, min
        for sample in inputset {
            let (x, y) = (Int(sample[0].scalar), Int(sample[1].scalar))
            #expect(try program.simulate(arguments: sample) == Tensor(x * y + max(x, y) - (x >= y ? 1 : 0) + min(x, y) * 2))
        }
    }

    @Test("tensor lookups on signed values")
    func signedTensor() throws {
        let program = try Compiler(["x": .encrypted]) { (relu($0[0]) * 3 + abs($0[0])).sum() }
            .compileProgram(inputset: [[[-5, 2, 7]], [[3, -8, 0]]])
        #expect(program.lookupCount == 6)
        #expect(try program.simulate([-5, 2, 7]) == Tensor(0 + 5 + 6 + 2 + 21 + 7))
        #expect(try program.simulate([3, -8, 0]) == Tensor(9 + 3 + 0 + 8 + 0))
    }

    /// x & y, x | y, x ^ y and shifts of two variables: one lookup of x·2^w + (y − min y),
    /// checked against Swift on every pair of the inputset's ranges.
    @Test("bitwise operations and shifts of two variables", arguments: ["&", "|", "^", "<<", ">>"])
    func packedBivariate(name: String) throws {
        let (operation, reference): (@Sendable (Tracer, Tracer) -> Tracer, (Int, Int) -> Int) = switch name {
        case "&": ({ $0 & $1 }, { $0 & $1 })
        case "|": ({ $0 | $1 }, { $0 | $1 })
        case "^": ({ $0 ^ $1 }, { $0 ^ $1 })
        case "<<": ({ $0 << $1 }, { $0 << $1 })
        default: ({ $0 >> $1 }, { $0 >> $1 })
        }
        let shifts = name == "<<" || name == ">>"
        let xs = shifts ? Array(-4...7) : Array(-6...9), ys = shifts ? Array(0...3) : Array(-2...5)
        for clearY in [false, true] {
            let compiler = Compiler(["x": .encrypted, "y": clearY ? .clear : .encrypted]) { operation($0[0], $0[1]) }
            let program = try compiler.compileProgram(inputset: xs.flatMap { x in ys.map { [Tensor(x), Tensor($0)] } })
            #expect(program.lookupCount == 1)
            for x in xs {
                for y in ys {
                    #expect(try program.simulate(Tensor(x), Tensor(y)) == Tensor(reference(x, y)), "\(x) \(name) \(y)")
                }
            }
        }
    }

    /// Under `oneLookup` a packed lookup wider than 16 bits (here 18) is refused; the default
    /// strategy chunks it instead, and computes the same.
    @Test("a packed two-variable lookup wider than 16 bits is reported on the graph under oneLookup, chunked by default")
    func packedTooWide() throws {
        let compiler = Compiler(["x": .encrypted, "y": .encrypted]) { $0[0] & $0[1] }
        let inputset: [[Tensor]] = [[0, 0], [511, 511]]
        #expect(throws: CompilationError.self) {
            try compiler.compileProgram(inputset: inputset, configuration: Configuration(multivariateStrategy: .oneLookup))
        }
        let program = try compiler.compileProgram(inputset: inputset)
        for (x, y) in [(0, 0), (511, 511), (170, 45), (341, 18), (511, 0)] {
            #expect(try program.simulate(Tensor(x), Tensor(y)) == Tensor(x & y), "\(x) & \(y)")
        }
    }
}

@Suite("Tensor constants")
struct TensorConstantTests {
    /// Lookups whose function depends on the element: one table per element, checked against
    /// Swift on every input of a small range; levelled operations with tensor constants too.
    @Test("operations with tensor constants: levelled ones, and lookups with one table per element")
    func perElementTables() throws {
        let divisors: Tensor = [2, 3, 5, 7]
        let compiler = Compiler(["x": .encrypted]) { args in
            let x = args[0]   // shape [4]
            return (x % divisors) + (x / [1, 2, 3, 4]) + (x > [1, 3, 5, 7]) + maximum(x, [2, 0, 9, 4])
                + ((x & [1, 2, 4, 8]) << [0, 1, 0, 1]) + ([10, 20, 30, 40] - x) * [1, 2, 1, 2]
        }
        let inputset = (0..<16).map { i in [Tensor((0..<4).map { (i + 5 * $0) % 16 }, shape: [4])] }
        let program = try compiler.compileProgram(inputset: inputset)
        for sample in inputset {
            let x = sample[0].elements.map(Int.init)
            let expected = (0..<4).map { i -> Int in
                let d = [2, 3, 5, 7][i]
                return x[i] % d + x[i] / (i + 1) + (x[i] > [1, 3, 5, 7][i] ? 1 : 0) + max(x[i], [2, 0, 9, 4][i])
                    + ((x[i] & [1, 2, 4, 8][i]) << [0, 1, 0, 1][i]) + ([10, 20, 30, 40][i] - x[i]) * [1, 2, 1, 2][i]
            }
            #expect(try program.simulate(arguments: sample) == Tensor(expected, shape: [4]), "\(x)")
        }
    }
}
