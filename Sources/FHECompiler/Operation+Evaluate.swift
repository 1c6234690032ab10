extension Operation {
    /// The integer result of this operation (anything but an input) on integer operands, with
    /// result shape `shape`: the clear semantics, for runtimes that compute clear values or derive
    /// the linear maps of levelled tensor operations.
    /// - Throws: `CompilationError.argument` when the operation fails on these operands.
    public func evaluate(shape: [Int], operands: [Tensor]) throws -> Tensor {
        do {
            guard case let .integer(resultShape, elements) = try Evaluator.evaluate(self, shape: shape, operands.map(Value.init)) else {
                throw EvaluationFailure("\(name) does not give an integer")
            }
            return Tensor(int64: elements, shape: resultShape)
        } catch let failure as EvaluationFailure {
            throw CompilationError.argument("\(name): \(failure.message)")
        }
    }
}
