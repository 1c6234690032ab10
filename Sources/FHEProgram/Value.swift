import Foundation

/// A value during clear evaluation: integers, or floats between a float operation and `.toInt()`.
package enum Value: Sendable {
    case integer(shape: [Int], elements: [Int64])
    case float(shape: [Int], elements: [Double])

    package init(_ tensor: Tensor) { self = .integer(shape: tensor.shape, elements: tensor.elements) }

    package var shape: [Int] {
        switch self {
        case let .integer(shape, _), let .float(shape, _): shape
        }
    }

    package var floats: [Double] {
        switch self {
        case let .integer(_, elements): elements.map(Double.init)
        case let .float(_, elements): elements
        }
    }

    /// The integer elements; nil for floats.
    package var integers: [Int64]? {
        if case let .integer(_, elements) = self { return elements }
        return nil
    }
}

/// numpy broadcasting of two flat operands to `shape`.
public func broadcastPairs<A, B, R>(_ a: [A], _ aShape: [Int], _ b: [B], _ bShape: [Int], to shape: [Int],
                             _ combine: (A, B) throws -> R) rethrows -> [R] {
    if aShape == shape && bShape == shape { return try zip(a, b).map(combine) }
    let count = Tensor.elementCount(of: shape)
    func strides(_ operand: [Int]) -> [Int] {
        // Strides of the operand laid against `shape`; 0 where it is broadcast.
        let padded = Array(repeating: 1, count: shape.count - operand.count) + operand
        var result = [Int](repeating: 0, count: shape.count), running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            result[axis] = padded[axis] == 1 ? 0 : running
            running *= padded[axis]
        }
        return result
    }
    let aStrides = strides(aShape), bStrides = strides(bShape)
    var result = [R]()
    result.reserveCapacity(count)
    var index = [Int](repeating: 0, count: shape.count)
    for _ in 0..<count {
        var aOffset = 0, bOffset = 0
        for axis in index.indices {
            aOffset += index[axis] * aStrides[axis]
            bOffset += index[axis] * bStrides[axis]
        }
        result.append(try combine(a[aOffset], b[bOffset]))
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            index[axis] += 1
            if index[axis] < shape[axis] { break }
            index[axis] = 0
        }
    }
    return result
}
