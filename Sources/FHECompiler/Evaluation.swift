import Foundation

/// Clear evaluation of a graph: the reference every later stage is checked against.
extension Graph {
    /// Evaluates the graph on one argument per parameter.
    /// - Throws: `CompilationError.evaluation` for a wrong argument shape, an overflow, a division
    ///   by zero, a float result, or an out-of-range table index.
    public func evaluate(_ arguments: [Tensor]) throws -> Tensor {
        try evaluate(arguments, tables: [:])
    }

    /// Evaluates with precomputed tables for some lookup nodes (entry i is for value low + i).
    func evaluate(_ arguments: [Tensor], tables: [Int: (low: Int64, entries: [Int64])]) throws -> Tensor {
        let values = try evaluateNodes(arguments, tables: tables)
        guard case let .integer(shape, elements) = values[output.index] else {
            throw CompilationError.evaluation("the result is a float: end with .toInt()", node: output)
        }
        return Tensor(int64: elements, shape: shape)
    }

    /// The value of every node, in node order.
    func evaluateNodes(_ arguments: [Tensor], tables: [Int: (low: Int64, entries: [Int64])] = [:]) throws -> [Value] {
        guard arguments.count == inputs.count else {
            throw CompilationError.evaluation("expected \(inputs.count) arguments, got \(arguments.count)", node: output)
        }
        var values = [Value]()
        values.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() {
            let id = NodeID(index: index)
            let operands = node.inputs.map { values[$0.index] }
            do {
                if let table = tables[index], let elements = operands.first?.integers {
                    values.append(.integer(shape: node.shape, elements: try elements.map { x in
                        let offset = x - table.low
                        guard offset >= 0, offset < Int64(table.entries.count) else {
                            throw EvaluationFailure("\(x) is outside the table lookup's input type")
                        }
                        return table.entries[Int(offset)]
                    }))
                    continue
                }
                values.append(try evaluate(node, operands, arguments))
            } catch let error as EvaluationFailure {
                throw CompilationError.evaluation(error.message, node: id)
            }
        }
        return values
    }

    private func evaluate(_ node: Node, _ operands: [Value], _ arguments: [Tensor]) throws -> Value {
        switch node.operation {
        case let .input(index, name):
            guard arguments[index].shape == node.shape else {
                throw EvaluationFailure("argument '\(name)' has shape \(arguments[index].shape), expected \(node.shape)")
            }
            return Value(arguments[index])
        case let .constant(tensor):
            return Value(tensor)
        case let .floatConstant(value):
            return .float(shape: [], elements: [value])
        case let .binary(operation):
            return try Evaluator.binary(operation, operands[0], operands[1], shape: node.shape)
        case let .unary(operation):
            return try Evaluator.unary(operation, operands[0])
        case let .apply(function):
            return .integer(shape: node.shape, elements: try Evaluator.integers(operands[0], "apply").map {
                Int64(function.body(Int($0)))
            })
        case let .lookupTable(table):
            return .integer(shape: node.shape, elements: try Evaluator.integers(operands[0], "a table lookup").map { x in
                let index = x < 0 ? x + Int64(table.count) : x
                guard index >= 0, index < Int64(table.count) else {
                    throw EvaluationFailure("table index \(x) is out of range for a table of \(table.count) entries")
                }
                return table[Int(index)]
            })
        case let .roundBitPattern(bits):
            return .integer(shape: node.shape, elements: try Evaluator.integers(operands[0], "roundBitPattern").map {
                bits == 0 ? $0 : (($0 + (1 << (bits - 1))) >> bits) << bits
            })
        case let .sum(axis):
            return try Evaluator.sum(operands[0], axis: axis, shape: node.shape)
        case let .dot(weights):
            return try Evaluator.matmul(operands[0], Value(weights.reshaped([weights.elements.count, 1])), shape: node.shape)
        case let .matmul(matrix):
            return try Evaluator.matmul(operands[0], Value(matrix), shape: node.shape)
        case .reshape:
            return Evaluator.withShape(operands[0], node.shape)
        case .transpose:
            return Evaluator.transpose(operands[0])
        case let .index(i):
            return Evaluator.index(operands[0], i)
        case .concatenate:
            return Evaluator.concatenate(operands, shape: node.shape)
        case let .fused(subgraph):
            return .integer(shape: node.shape, elements: try Evaluator.integers(operands[0], "a table lookup").map {
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
