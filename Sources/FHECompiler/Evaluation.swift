import FHEProgram

/// Clear evaluation of a graph: the reference every later stage is checked against.
extension Graph {
    /// Evaluates the graph on one argument per parameter.
    /// - Throws: `CompilationError.evaluation` for a wrong argument shape, an overflow, a division
    ///   by zero, a float result, or an out-of-range table index.
    public func evaluate(_ arguments: [Tensor]) throws -> Tensor {
        let values = try evaluateNodes(arguments)
        guard case let .integer(shape, elements) = values[output.index] else {
            throw CompilationError.evaluation("the result is a float: end with .toInt()", node: output)
        }
        return Tensor(int64: elements, shape: shape)
    }

    /// Checks that every sample has one argument per parameter, of the shapes traced.
    /// - Throws: `CompilationError.inputset` naming the first sample that does not.
    func check(inputset: [[Tensor]]) throws {
        for (number, sample) in inputset.enumerated() {
            guard sample.count == inputs.count else {
                throw CompilationError.inputset("sample \(number) has \(sample.count) arguments, the function takes \(inputs.count)")
            }
            for (argument, input) in zip(sample, inputs) where argument.shape != self[input].shape {
                throw CompilationError.inputset(
                    "sample \(number): argument '\(self[input].operation.inputName)' has shape \(argument.shape), "
                        + "expected \(self[input].shape) like the first sample")
            }
        }
    }

    /// Each integer node's bounds over the inputset (nil for float nodes).
    func nodeBounds(inputset: [[Tensor]]) throws -> [ClosedRange<Int64>?] {
        var bounds = [ClosedRange<Int64>?](repeating: nil, count: nodes.count)
        for sample in inputset {
            for (node, value) in try evaluateNodes(sample).enumerated() {
                guard let elements = value.integers, let low = elements.min(), let high = elements.max() else { continue }
                bounds[node] = bounds[node].map { min($0.lowerBound, low)...max($0.upperBound, high) } ?? low...high
            }
        }
        return bounds
    }

    /// The value of every node, in node order.
    func evaluateNodes(_ arguments: [Tensor]) throws -> [Value] {
        guard arguments.count == inputs.count else {
            throw CompilationError.evaluation("expected \(inputs.count) arguments, got \(arguments.count)", node: output)
        }
        var values = [Value]()
        values.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() {
            let id = NodeID(index: index)
            let operands = node.inputs.map { values[$0.index] }
            do {
                values.append(try evaluate(node, operands, arguments))
            } catch let error as EvaluationFailure {
                throw CompilationError.evaluation(error.message, node: id)
            }
        }
        return values
    }

    private func evaluate(_ node: Node, _ operands: [Value], _ arguments: [Tensor]) throws -> Value {
        if case let .input(index, name) = node.operation {
            guard arguments[index].shape == node.shape else {
                throw EvaluationFailure("argument '\(name)' has shape \(arguments[index].shape), expected \(node.shape)")
            }
            return Value(arguments[index])
        }
        return try Evaluator.evaluate(node.operation, shape: node.shape, operands)
    }
}

extension Evaluator {
    /// The result of `operation` (anything but an input) on its operands, with result shape
    /// `shape`: the Swift code of `apply` and fused subgraphs, the program's clear semantics for
    /// every other operation.
    static func evaluate(_ operation: Operation, shape: [Int], _ operands: [Value]) throws -> Value {
        switch operation {
        case .input:
            throw EvaluationFailure("an input has no operands to evaluate")
        case let .apply(function):
            return .integer(shape: shape, elements: try integers(operands[0], "apply").map {
                Int64(function.body(Int($0)))
            })
        case let .lookupTables(tables):
            return .integer(shape: shape, elements: try integers(operands[0], "a table lookup").enumerated().map { position, x in
                try entry(tables[position], x)
            })
        case let .fused(subgraph):
            return .integer(shape: shape, elements: try integers(operands[0], "a table lookup").map {
                do { return try subgraph.evaluate($0) } catch let error as CompilationError {
                    throw EvaluationFailure("the fused subgraph fails on \($0): \(error)")
                }
            })
        default:
            return try evaluate(operation.clearOperation!, shape: shape, operands)
        }
    }
}
