/// Bounds: the range of every integer node over an inputset.
extension Graph {
    /// Evaluates the graph on every sample and returns each node's [min, max] over all elements
    /// (nil for float nodes).
    /// - Throws: `CompilationError.inputset` for an empty inputset, a sample with the wrong number
    ///   of arguments or a wrong shape; evaluation errors of any sample.
    public func bounds(inputset: [[Tensor]]) throws -> [ClosedRange<Int64>?] {
        guard !inputset.isEmpty else {
            throw CompilationError.inputset("the inputset is empty: give at least one sample, as typical as possible, "
                                            + "so that every value's range can be measured")
        }
        var result = [ClosedRange<Int64>?](repeating: nil, count: nodes.count)
        for (number, sample) in inputset.enumerated() {
            guard sample.count == inputs.count else {
                throw CompilationError.inputset("sample \(number) has \(sample.count) arguments, the function takes \(inputs.count)")
            }
            for (argument, input) in zip(sample, inputs) where argument.shape != self[input].shape {
                throw CompilationError.inputset(
                    "sample \(number): argument '\(self[input].operation.inputName)' has shape \(argument.shape), "
                        + "expected \(self[input].shape) like the first sample")
            }
            for (index, value) in try evaluateNodes(sample).enumerated() {
                guard let elements = value.integers, let low = elements.min(), let high = elements.max() else { continue }
                result[index] = result[index].map { min($0.lowerBound, low)...max($0.upperBound, high) } ?? low...high
            }
        }
        return result
    }
}

extension Operation {
    /// The parameter name of an input node.
    var inputName: String {
        if case let .input(_, name) = self { return name }
        return name
    }
}
