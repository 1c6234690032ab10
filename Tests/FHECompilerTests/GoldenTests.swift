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
                .compileProgram(inputset: [[0, 0], [300, 200]])
            Issue.record("compiled a 9-bit lookup")
        } catch let error as CompilationError {
            #expect(error.description == """
                Function you are trying to compile cannot be compiled

                %0 = x                  # EncryptedScalar<uint9>  ∈ [0, 300]
                %1 = y                  # EncryptedScalar<uint9>  ∈ [0, 200]
                %2 = add(%0, %1)        # EncryptedScalar<uint9>  ∈ [0, 500]
                ^^^^^^^^^^^^^^^^ this 9-bit value is used as an input to a table lookup
                                 but only up to 8-bit table lookups are supported
                %3 = 7                  # ClearScalar<uint3>  ∈ [7, 7]
                %4 = remainder(%2, %3)  # EncryptedScalar<uint2>  ∈ [0, 3]

                Narrow the inputset, round values before lookups (roundBitPattern) or use fewer quantization bits.
                """)
        }
    }
}
