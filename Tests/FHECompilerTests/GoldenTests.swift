import FHECompiler
import Testing

/// Printed graphs and diagnostics, compared as text.
@Suite("Golden printouts")
struct GoldenTests {
    @Test("the DESIGN.md example")
    func designExample() throws {
        let program = try CompileTests.designExample().compileProgram(inputset: [[3, 1], [15, 2], [0, 0]])
        #expect(program.graph == """
            %0 = x                  # EncryptedScalar<uint4>  ∈ [0, 15]
            %1 = y                  # ClearScalar<uint2>  ∈ [0, 2]
            %2 = multiply(%0, %0)   # EncryptedScalar<uint8>  ∈ [0, 225]
            %3 = add(%2, %1)        # EncryptedScalar<uint8>  ∈ [0, 227]
            %4 = 13                 # ClearScalar<uint4>  ∈ [13, 13]
            %5 = remainder(%3, %4)  # EncryptedScalar<uint4>  ∈ [0, 10]
            """)
    }

    @Test("a fused float subgraph, listed below its node")
    func fused() throws {
        let program = try Compiler(["x": .encrypted]) { (7 * sin($0[0]) + 7).rounded().toInt() }
            .compileProgram(inputset: (0...15).map { [Tensor($0)] })
        #expect(program.graph == """
            %0 = x                                                        # EncryptedScalar<uint4>  ∈ [0, 15]
            %1 = tlu(%0, table=[7, 13, 13, 8, 2, 0, 5, 12, 14, 10, 3, 0, 3, 10, 14, 12])  # EncryptedScalar<uint4>  ∈ [0, 14]

            Subgraphs:

                %1 = tlu(%0):

                    %0 = x                 # EncryptedScalar<int>
                    %1 = sin(%0)           # EncryptedScalar<float64>
                    %2 = 7                 # ClearScalar<int>
                    %3 = multiply(%2, %1)  # EncryptedScalar<float64>
                    %4 = 7                 # ClearScalar<int>
                    %5 = add(%3, %4)       # EncryptedScalar<float64>
                    %6 = round(%5)         # EncryptedScalar<float64>
                    %7 = astype_int(%6)    # EncryptedScalar<int>
            """)
    }

    @Test("a lookup input that is too wide")
    func tooWide() throws {
        do {
            _ = try Compiler(["x": .encrypted, "y": .encrypted]) { ($0[0] + $0[1]) % 7 }
                .compileProgram(inputset: [[0, 0], [40000, 30000], [3, 2]])
            Issue.record("compiled a 17-bit lookup")
        } catch let error as CompilationError {
            #expect(error.description == """
                Function you are trying to compile cannot be compiled

                %0 = x                  # EncryptedScalar<uint17>  ∈ [0, 40000]
                %1 = y                  # EncryptedScalar<uint17>  ∈ [0, 30000]
                %2 = add(%0, %1)        # EncryptedScalar<uint17>  ∈ [0, 70000]
                ^^^^^^^^^^^^^^^^ this 17-bit value is used as an input to a table lookup
                                 but only up to 16-bit table lookups are supported
                %3 = 7                  # ClearScalar<uint3>  ∈ [7, 7]
                %4 = remainder(%2, %3)  # EncryptedScalar<uint3>  ∈ [0, 5]

                Narrow the inputset, round lookup inputs with roundBitPattern, or use fewer quantization bits or smaller weights so that every table lookup input fits 16 bits.
                """)
        }
    }

    /// The description of the error `body` throws.
    private func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test("a float subgraph of two variables: its inputs and nodes marked")
    func notFusable() {
        let line = #line + 1
        let compiler = Compiler(["x": .encrypted, "y": .encrypted]) { (sin($0[0]) + cos($0[1])).rounded().toInt() }
        #expect(message { try compiler.compileProgram(inputset: [[1, 2], [3, 4]]) } == """
            Function you are trying to compile cannot be compiled

            %0 = x                # EncryptedScalar<int>
            ^^^^^^ this is one of the 2 inputs of the float subgraph ending at %6
            %1 = y                # EncryptedScalar<int>
            ^^^^^^ this is one of the 2 inputs of the float subgraph ending at %6
            %2 = sin(%0)          # EncryptedScalar<float64>
            ^^^^^^^^^^^^ within the float subgraph ending at %6
            %3 = cos(%1)          # EncryptedScalar<float64>
            ^^^^^^^^^^^^ within the float subgraph ending at %6
            %4 = add(%2, %3)      # EncryptedScalar<float64>
            ^^^^^^^^^^^^^^^^ within the float subgraph ending at %6
            %5 = round(%4)        # EncryptedScalar<float64>
            ^^^^^^^^^^^^^^ within the float subgraph ending at %6
            %6 = astype_int(%5)   # EncryptedScalar<int>
            ^^^^^^^^^^^^^^^^^^^ this floating-point computation depends on %0 and %1 (FHECompilerTests/GoldenTests.swift:\(line))
                                so it cannot be fused into a table lookup: a float subgraph with multiple input nodes has no single table

            Convert to integers with .toInt() before combining the values, or compute the float part from one value.
            """)
    }

    @Test("a float result: the float node marked")
    func floatOutput() {
        let compiler = Compiler(["x": .encrypted]) { sin($0[0]) * 2 }
        #expect(message { try compiler.compileProgram(inputset: [[1], [3]]) } == """
            Function you are trying to compile cannot be compiled

            %0 = x                 # EncryptedScalar<int>
            %1 = sin(%0)           # EncryptedScalar<float64>
            ^^^^^^^^^^^^ this encrypted value is a float that no table lookup absorbs
                         but only integers can be encrypted results or inputs of levelled operations
            %2 = 2                 # ClearScalar<int>
            %3 = multiply(%1, %2)  # EncryptedScalar<float64>

            End every floating-point computation with .toInt() (after .rounded() or .floor() as needed).
            """)
    }

    @Test("inputset and argument errors")
    func inputsetAndArguments() throws {
        let compiler = Compiler(["x": .encrypted]) { $0[0] % 5 }
        #expect(message { try compiler.compileProgram(inputset: []) }
                == "the inputset is empty: give at least one sample, as typical as possible, so that every value's range can be measured")
        #expect(message { try compiler.compileProgram(inputset: [[1], [2, 3]]) } == "sample 1 has 2 arguments, the function takes 1")
        #expect(message { try compiler.compileProgram(inputset: [[[1, 2]], [[1, 2, 3]]]) }
                == "sample 1: argument 'x' has shape [3], expected [2] like the first sample")
        let program = try compiler.compileProgram(inputset: [[1], [9]])
        #expect(message { try program.simulate(17) } == "expected EncryptedScalar<uint4>, got 17")
        #expect(message { try program.simulate([1, 2]) } == "expected EncryptedScalar<uint4>, got [1, 2]")
        #expect(message { try program.simulate(1, 2) } == "expected 1 arguments, got 2")
    }
}
