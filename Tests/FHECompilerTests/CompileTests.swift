import FHECompiler
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
        #expect(try program.simulate(31) == Tensor(63 % 5))
        #expect(throws: CompilationError.self) { try program.simulate(1, 2) }
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
