import Foundation

/// The clear semantics of each operation. Integer arithmetic is checked: an overflow of Int64 is
/// an error, never a silent wrap.
package enum Evaluator {
    package static func integers(_ value: Value, _ operation: String) throws -> [Int64] {
        guard let elements = value.integers else { throw EvaluationFailure("\(operation) needs integers: call .toInt() first") }
        return elements
    }

    /// How additions, subtractions and products treat an overflow of Int64.
    package enum Arithmetic {
        /// An overflow is an error: the exact semantics of clear values and of bounds.
        case checked
        /// Results wrap modulo 2^64: levelled operations on encrypted values, which FHE computes
        /// modulo 2^(width+1), a divisor of 2^64, so wrapping then encoding is what FHE gives.
        case wrapping

        package func result(_ result: (partialValue: Int64, overflow: Bool), _ operation: BinaryOperation) throws -> Int64 {
            if result.overflow && self == .checked { throw EvaluationFailure("\(operation.rawValue) overflows 64-bit integers") }
            return result.partialValue
        }
    }

    package static func binary(_ operation: BinaryOperation, _ a: Value, _ b: Value, shape: [Int],
                       arithmetic: Arithmetic = .checked) throws -> Value {
        if case let .integer(aShape, x) = a, case let .integer(bShape, y) = b, operation != .divide {
            return .integer(shape: shape, elements: try broadcastPairs(x, aShape, y, bShape, to: shape) {
                try integer(operation, $0, $1, arithmetic: arithmetic)
            })
        }
        guard !operation.isIntegerOnly else { throw EvaluationFailure("\(operation.rawValue) needs integers") }
        let floats = broadcastPairs(a.floats, a.shape, b.floats, b.shape, to: shape) { float(operation, $0, $1) }
        return operation.isComparison ? .integer(shape: shape, elements: floats.map { Int64($0) }) : .float(shape: shape, elements: floats)
    }

    package static func integer(_ operation: BinaryOperation, _ x: Int64, _ y: Int64, arithmetic: Arithmetic = .checked) throws -> Int64 {
        switch operation {
        case .add: return try arithmetic.result(x.addingReportingOverflow(y), operation)
        case .subtract: return try arithmetic.result(x.subtractingReportingOverflow(y), operation)
        case .multiply: return try arithmetic.result(x.multipliedReportingOverflow(by: y), operation)
        case .divide: throw EvaluationFailure("true division needs floats")
        case .floorDivide, .remainder:
            // numpy's floor division and remainder (the sign of the divisor). Only Int64.min // −1
            // overflows; its remainder is 0.
            guard y != 0 else { throw EvaluationFailure("division by zero") }
            let (quotient, overflow) = x.dividedReportingOverflow(by: y)
            let remainder = x.remainderReportingOverflow(dividingBy: y).partialValue
            let adjust = remainder != 0 && ((remainder < 0) != (y < 0))
            if operation == .remainder { return adjust ? remainder &+ y : remainder }
            if overflow { throw EvaluationFailure("floor_divide overflows 64-bit integers") }
            return adjust ? quotient - 1 : quotient
        case .less: return x < y ? 1 : 0
        case .lessEqual: return x <= y ? 1 : 0
        case .greater: return x > y ? 1 : 0
        case .greaterEqual: return x >= y ? 1 : 0
        case .equal: return x == y ? 1 : 0
        case .notEqual: return x != y ? 1 : 0
        case .bitwiseAnd: return x & y
        case .bitwiseOr: return x | y
        case .bitwiseXor: return x ^ y
        case .leftShift, .rightShift:
            guard (0..<63).contains(y) else { throw EvaluationFailure("shift by \(y): shifts must be in 0…62") }
            if operation == .rightShift { return x >> y }
            guard (x << y) >> y == x else { throw EvaluationFailure("left_shift overflows 64-bit integers") }
            return x << y
        case .minimum: return min(x, y)
        case .maximum: return max(x, y)
        }
    }

    package static func float(_ operation: BinaryOperation, _ x: Double, _ y: Double) -> Double {
        switch operation {
        case .add: x + y
        case .subtract: x - y
        case .multiply: x * y
        case .divide: x / y
        case .less: x < y ? 1 : 0
        case .lessEqual: x <= y ? 1 : 0
        case .greater: x > y ? 1 : 0
        case .greaterEqual: x >= y ? 1 : 0
        case .equal: x == y ? 1 : 0
        case .notEqual: x != y ? 1 : 0
        case .minimum: Swift.min(x, y)
        case .maximum: Swift.max(x, y)
        case .floorDivide, .remainder, .bitwiseAnd, .bitwiseOr, .bitwiseXor, .leftShift, .rightShift: .nan
        }
    }

    package static func unary(_ operation: UnaryOperation, _ value: Value, arithmetic: Arithmetic = .checked) throws -> Value {
        let shape = value.shape
        if case let .integer(_, elements) = value, !operation.producesFloat {
            switch operation {
            case .negate:
                return .integer(shape: shape, elements: try elements.map { try arithmetic.result((0 as Int64).subtractingReportingOverflow($0), .subtract) })
            case .absolute:
                return .integer(shape: shape, elements: try elements.map {
                    guard $0 != .min else { throw EvaluationFailure("absolute overflows 64-bit integers") }
                    return Swift.abs($0)
                })
            case .relu: return .integer(shape: shape, elements: elements.map { Swift.max($0, 0) })
            default: return value   // rounding, flooring or converting an integer changes nothing
            }
        }
        let x = value.floats
        switch operation {
        case .toInt:
            return .integer(shape: shape, elements: try x.map {
                guard $0.isFinite, $0 > -9.2e18, $0 < 9.2e18 else { throw EvaluationFailure("cannot convert \($0) to an integer") }
                return Int64($0.rounded(.towardZero))
            })
        case .negate: return .float(shape: shape, elements: x.map { -$0 })
        case .absolute: return .float(shape: shape, elements: x.map { Swift.abs($0) })
        case .relu: return .float(shape: shape, elements: x.map { Swift.max($0, 0) })
        case .sin: return .float(shape: shape, elements: x.map(Foundation.sin))
        case .cos: return .float(shape: shape, elements: x.map(Foundation.cos))
        case .tan: return .float(shape: shape, elements: x.map(Foundation.tan))
        case .exp: return .float(shape: shape, elements: x.map(Foundation.exp))
        case .log: return .float(shape: shape, elements: x.map(Foundation.log))
        case .sqrt: return .float(shape: shape, elements: x.map(Foundation.sqrt))
        case .tanh: return .float(shape: shape, elements: x.map(Foundation.tanh))
        case .sigmoid: return .float(shape: shape, elements: x.map { 1 / (1 + Foundation.exp(-$0)) })
        case .rounded: return .float(shape: shape, elements: x.map { $0.rounded(.toNearestOrEven) })
        case .floor: return .float(shape: shape, elements: x.map { $0.rounded(.down) })
        }
    }

    package static func sum(_ value: Value, axis: Int?, shape: [Int], arithmetic: Arithmetic = .checked) throws -> Value {
        let elements = try integers(value, "sum")
        guard let axis else {
            return .integer(shape: [], elements: [try elements.reduce(0) { try arithmetic.result($0.addingReportingOverflow($1), .add) }])
        }
        let full = value.shape, normalized = axis < 0 ? axis + full.count : axis
        let inner = Tensor.elementCount(of: Array(full[(normalized + 1)...])), extent = full[normalized]
        let outer = Tensor.elementCount(of: Array(full[..<normalized]))
        var result = [Int64](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for k in 0..<extent {
                for i in 0..<inner {
                    result[o * inner + i] = try arithmetic.result(result[o * inner + i].addingReportingOverflow(elements[(o * extent + k) * inner + i]), .add)
                }
            }
        }
        return .integer(shape: shape, elements: result)
    }

    /// x (vector or matrix) times w (vector or matrix), integers.
    package static func matmul(_ x: Value, _ w: Value, shape: [Int], arithmetic: Arithmetic = .checked) throws -> Value {
        let a = try integers(x, "matmul"), b = try integers(w, "matmul")
        let rows = x.shape.count == 2 ? x.shape[0] : 1, inner = x.shape.last!
        let columns = w.shape.count == 2 ? w.shape[1] : 1
        var result = [Int64](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                var total: Int64 = 0
                for k in 0..<inner {
                    let term = try arithmetic.result(a[r * inner + k].multipliedReportingOverflow(by: b[k * columns + c]), .multiply)
                    total = try arithmetic.result(total.addingReportingOverflow(term), .add)
                }
                result[r * columns + c] = total
            }
        }
        return .integer(shape: shape, elements: result)
    }

    package static func withShape(_ value: Value, _ shape: [Int]) -> Value {
        switch value {
        case let .integer(_, elements): .integer(shape: shape, elements: elements)
        case let .float(_, elements): .float(shape: shape, elements: elements)
        }
    }

    /// Reverses the axes.
    package static func transpose(_ value: Value) -> Value {
        let shape = value.shape
        guard shape.count > 1 else { return value }
        let reversed = Array(shape.reversed()), order = transposedOrder(of: shape)
        switch value {
        case let .integer(_, elements): return .integer(shape: reversed, elements: order.map { elements[$0] })
        case let .float(_, elements): return .float(shape: reversed, elements: order.map { elements[$0] })
        }
    }

    package static func index(_ value: Value, _ i: Int) -> Value {
        let shape = value.shape, rowShape = Array(shape.dropFirst())
        let row = i < 0 ? i + shape[0] : i, size = Tensor.elementCount(of: rowShape)
        let range = (row * size)..<((row + 1) * size)
        switch value {
        case let .integer(_, elements): return .integer(shape: rowShape, elements: Array(elements[range]))
        case let .float(_, elements): return .float(shape: rowShape, elements: Array(elements[range]))
        }
    }

    package static func concatenate(_ values: [Value], shape: [Int]) -> Value {
        if values.allSatisfy({ $0.integers != nil }) {
            return .integer(shape: shape, elements: values.flatMap { $0.integers! })
        }
        return .float(shape: shape, elements: values.flatMap(\.floats))
    }
}

extension Evaluator {
    /// The result of `operation` (anything but an input) on its operands, with result shape `shape`,
    /// overflows of additions and products checked or wrapping (`Arithmetic`).
    package static func evaluate(_ operation: ClearOperation, shape: [Int], _ operands: [Value], arithmetic: Arithmetic = .checked) throws -> Value {
        switch operation {
        case let .constant(tensor):
            return Value(tensor)
        case let .floatConstant(value):
            return .float(shape: [], elements: [value])
        case let .binary(operation):
            return try binary(operation, operands[0], operands[1], shape: shape, arithmetic: arithmetic)
        case let .unary(operation):
            return try unary(operation, operands[0], arithmetic: arithmetic)
        case let .lookupTable(table):
            return .integer(shape: shape, elements: try integers(operands[0], "a table lookup").map { try entry(table, $0) })
        case let .roundBitPattern(lsbsToRemove: bits):
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
        case let .linear(operation):
            return .integer(shape: shape, elements: try operation.apply(try integers(operands[0], operation.name), arithmetic: arithmetic))
        }
    }
}

/// Why a clear operation failed (an overflow, a division by zero): the message, for the error of
/// the domain that ran it.
package struct EvaluationFailure: Error {
    package let message: String
    package init(_ message: String) { self.message = message }
}

extension Evaluator {
    /// `table[x]`, negative inputs indexing from the end.
    package static func entry(_ table: [Int64], _ x: Int64) throws -> Int64 {
        let index = x < 0 ? x + Int64(table.count) : x
        guard index >= 0, index < Int64(table.count) else {
            throw EvaluationFailure("table index \(x) is out of range for a table of \(table.count) entries")
        }
        return table[Int(index)]
    }
}
