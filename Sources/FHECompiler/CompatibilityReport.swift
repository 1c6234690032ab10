import FHEProgram

/// The one builder of "cannot be compiled" reports: the printed graph with the offending nodes
/// underlined and their messages, then what to change (Concrete's form of the diagnostic).
struct CompatibilityReport {
    let graph: Graph
    /// Each node's bounds and type, when they are known (after bounds are measured).
    var bounds: [ClosedRange<Int64>?] = []
    var types: [IntegerType?] = []
    /// The messages of each offending node: the first is printed under its line.
    private(set) var highlights: [Int: [String]] = [:]

    init(graph: Graph, bounds: [ClosedRange<Int64>?] = [], types: [IntegerType?] = []) {
        self.graph = graph
        self.bounds = bounds
        self.types = types
    }

    /// Marks node `node` with `messages`, unless it is marked already (the first cause wins).
    mutating func mark(_ node: Int, _ messages: [String]) {
        if highlights[node] == nil { highlights[node] = messages }
    }

    var isEmpty: Bool { highlights.isEmpty }

    /// `CompilationError.incompatible` with the report and `advice`.
    func error(advice: String) -> CompilationError {
        let printed = GraphPrinter(graph: graph, bounds: bounds, types: types, messages: highlights).render()
        return .incompatible(report: "Function you are trying to compile cannot be compiled\n\n" + printed + "\n\n" + advice)
    }
}
