import Foundation

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
    /// The result of `operation` (anything but an input) on its operands, with result shape `shape`,
    /// overflows of additions and products checked or wrapping (`Arithmetic`).
    static func evaluate(_ operation: Operation, shape: [Int], _ operands: [Value], arithmetic: Arithmetic = .checked) throws -> Value {
        switch operation {
        case .input:
            throw EvaluationFailure("an input has no operands to evaluate")
        case let .constant(tensor):
            return Value(tensor)
        case let .floatConstant(value):
            return .float(shape: [], elements: [value])
        case let .binary(operation):
            return try binary(operation, operands[0], operands[1], shape: shape, arithmetic: arithmetic)
        case let .unary(operation):
            return try unary(operation, operands[0], arithmetic: arithmetic)
        case let .apply(function):
            return .integer(shape: shape, elements: try integers(operands[0], "apply").map {
                Int64(function.body(Int($0)))
            })
        case let .lookupTable(table):
            return .integer(shape: shape, elements: try integers(operands[0], "a table lookup").map { x in
                let index = x < 0 ? x + Int64(table.count) : x
                guard index >= 0, index < Int64(table.count) else {
                    throw EvaluationFailure("table index \(x) is out of range for a table of \(table.count) entries")
                }
                return table[Int(index)]
            })
        case let .roundBitPattern(bits):
            return .integer(shape: shape, elements: try integers(operands[0], "roundBitPattern").map {
                guard bits > 0 else { return $0 }
                let (half, overflow) = $0.addingReportingOverflow(1 << (bits - 1))
                guard !overflow || arithmetic == .wrapping else { throw EvaluationFailure("round_bit_pattern of \($0) overflows 64-bit integers") }
                return (half >> bits) << bits
            })
        case let .sum(axis):
            return try sum(operands[0], axis: axis, shape: shape, arithmetic: arithmetic)
        case let .dot(weights):
            return try matmul(operands[0], Value(weights.reshaped([weights.elements.count, 1])), shape: shape, arithmetic: arithmetic)
        case let .matmul(matrix):
            return try matmul(operands[0], Value(matrix), shape: shape, arithmetic: arithmetic)
        case .reshape:
            return withShape(operands[0], shape)
        case .transpose:
            return transpose(operands[0])
        case let .index(i):
            return index(operands[0], i)
        case .concatenate:
            return concatenate(operands, shape: shape)
        case let .fused(subgraph):
            return .integer(shape: shape, elements: try integers(operands[0], "a table lookup").map {
                do { return try subgraph.evaluate($0) } catch let error as CompilationError {
                    throw EvaluationFailure("the fused subgraph fails on \($0): \(error)")
                }
            })
        }
    }
}

struct EvaluationFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension Tensor {
    func reshaped(_ shape: [Int]) -> Tensor { Tensor(int64: elements, shape: shape) }
}
