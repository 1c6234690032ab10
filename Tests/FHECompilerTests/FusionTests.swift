import FHECompiler
import Testing

@Suite("Fusion into table lookups")
struct FusionTests {
    private func lookups(_ graph: Graph) -> Int {
        graph.nodes.filter { if case .fused = $0.operation { true } else { false } }.count
    }

    private func expectSameResults(_ graph: Graph, _ fused: Graph, _ values: ClosedRange<Int>, shape: [Int] = []) throws {
        for x in values {
            let argument = Tensor(Array(repeating: x, count: Tensor.elementCount(of: shape)), shape: shape)
            #expect(try fused.evaluate([argument]) == graph.evaluate([argument]), "x \(x)")
        }
    }

    @Test("univariate chains become one lookup", arguments: [
        "square mod", "relu div", "float wave", "float with levelled input", "two float branches",
    ])
    func univariate(name: String) throws {
        let functions: [String: (Tracer) -> Tracer] = [
            "square mod": { ($0 * $0) % 13 },
            "relu div": { relu($0) / 4 },
            "float wave": { (7 * sin($0) + 7).rounded().toInt() },
            "float with levelled input": { (sqrt($0 + 1) * 3).toInt() },
            "two float branches": { (sin($0) * cos($0) * 10).toInt() + 1 },
        ]
        let graph = try Compiler(["x": .encrypted]) { functions[name]!($0[0]) }.trace(inputShapes: [[3]])
        let fused = try graph.fused()
        #expect(lookups(fused) == 1, "\(fused.nodes.map(\.operation.name))")
        #expect(fused.nodes.allSatisfy { $0.kind == .integer })
        try expectSameResults(graph, fused, 0...15, shape: [3])
    }

    @Test("levelled operations and two-variable integer operations are not fused")
    func notFused() throws {
        let levelled = try Compiler(["x": .encrypted]) { $0[0] * 3 + 1 }.trace(inputShapes: [[]]).fused()
        #expect(lookups(levelled) == 0)
        let twoVariables = try Compiler(["x": .encrypted, "y": .encrypted]) { ($0[0] < $0[1]) + $0[0] * $0[1] }
            .trace(inputShapes: [[], []])
        #expect(lookups(try twoVariables.fused()) == 0)
        let clear = try Compiler(["x": .clear]) { (sin($0[0]) * 4).toInt() }.trace(inputShapes: [[]]).fused()
        #expect(lookups(clear) == 0)   // computed in the clear, no lookup needed
    }

    @Test("a float subgraph of two variables cannot be fused")
    func twoVariableFloat() throws {
        let graph = try Compiler(["x": .encrypted, "y": .encrypted]) { (sin($0[0]) + cos($0[1])).toInt() }
            .trace(inputShapes: [[], []])
        do {
            _ = try graph.fused()
            Issue.record("fused a two-variable float subgraph")
        } catch let error as CompilationError {
            #expect(error.description.contains("depends on %0 and %1"), "\(error)")
        }
    }
}
