import FHEProgram

/// Traces a Swift function of encrypted and clear parameters into a graph.
///
/// ```swift
/// let compiler = Compiler(["x": .encrypted, "y": .clear]) { args in
///     let (x, y) = (args[0], args[1])
///     return (x * x + y) % 13
/// }
/// ```
public struct Compiler {
    /// The parameters, in order, with their encryption status.
    public let parameters: [(name: String, status: EncryptionStatus)]
    let function: ([Tracer]) throws -> Tracer

    /// - Parameters:
    ///   - parameters: the names and encryption status of the function's parameters, in order.
    ///   - function: receives one `Tracer` per parameter and returns the result.
    public init(_ parameters: KeyValuePairs<String, EncryptionStatus>,
                _ function: @escaping ([Tracer]) throws -> Tracer) {
        self.parameters = parameters.map { (name: $0.key, status: $0.value) }
        self.function = function
    }

    /// Traces the function with parameters of the given shapes.
    /// - Throws: `CompilationError.invalidOperation` for the first operation that cannot be traced
    ///   (with the source line), or what the function itself throws.
    public func trace(inputShapes: [[Int]]) throws -> Graph {
        guard inputShapes.count == parameters.count else {
            throw CompilationError.invalidOperation(
                "the function has \(parameters.count) parameters, got \(inputShapes.count) shapes", location: nil)
        }
        let builder = GraphBuilder()
        let inputs = zip(parameters.indices, inputShapes).map { index, shape in
            builder.add(.input(index: index, name: parameters[index].name), inputs: [], shape: shape, kind: .integer,
                        isEncrypted: parameters[index].status == .encrypted, location: nil)
        }
        let result = try function(inputs.map { Tracer(builder: builder, id: $0) })
        guard result.builder === builder else {
            throw CompilationError.invalidOperation("the function returned a value of another trace", location: nil)
        }
        if let error = builder.firstError { throw error }
        return Graph(nodes: builder.nodes, inputs: inputs, output: result.id)
    }
}
