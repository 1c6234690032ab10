/// A levelled operation of one encrypted input given by its terms: what convolutions, pooling
/// sums, padding, permutations and gathers are traced to and lowered as. Output element j is
/// Σ weight·input[i] over the map's terms of row j (`LinearMap`), so its cost is linear in the
/// number of terms: a 3 × 3 convolution over a 28 × 28 image has 9 terms per output, not 784.
public struct LinearOperation: Sendable, Hashable {
    /// The printed name ("conv2d", "sum_pool2d", "pad", "gather").
    public let name: String
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let map: LinearMap

    /// - Precondition: the map has one row per output element and reads input elements only
    ///   (`problem` is nil); a deserialized operation is checked by `problem` instead.
    public init(name: String, inputShape: [Int], outputShape: [Int], map: LinearMap) {
        self.name = name
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.map = map
    }

    /// Why the operation is malformed (its map's rows, terms or inputs do not match its shapes), or nil.
    public var problem: String? {
        guard let inputCount = Tensor.checkedElementCount(of: inputShape), let outputCount = Tensor.checkedElementCount(of: outputShape)
        else { return "\(name): a shape is too large" }
        let starts = map.rowStarts
        guard starts.count == outputCount + 1, starts.first == 0, starts.last == map.inputs.count,
              map.weights.count == map.inputs.count
        else { return "\(name): the map's rows do not match \(outputCount) outputs" }
        guard zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else { return "\(name): the map's rows are not in order" }
        guard map.inputs.allSatisfy({ $0 >= 0 && Int($0) < inputCount }) else {
            return "\(name): a term reads outside the \(inputCount) input elements"
        }
        return nil
    }

    /// The map applied to the elements of a tensor of `inputShape`.
    package func apply(_ elements: [Int64], arithmetic: Evaluator.Arithmetic) throws -> [Int64] {
        try (0..<map.outputCount).map { j in
            try map.terms(of: j).reduce(Int64(0)) { total, term in
                let product = try arithmetic.result(elements[Int(term.0)].multipliedReportingOverflow(by: term.1), .multiply)
                return try arithmetic.result(total.addingReportingOverflow(product), .add)
            }
        }
    }
}
