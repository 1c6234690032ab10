import FHEProgram

/// Tensor operations on tracers; weights of dot products and matrix products are clear constants.
extension Tracer {
    /// The sum of all elements.
    public func sum(fileID: String = #fileID, line: Int = #line) -> Tracer {
        make(.sum(axis: nil), location: SourceLocation(fileID: fileID, line: line))
    }

    /// The sum along one axis (negative axes count from the end).
    public func sum(axis: Int, fileID: String = #fileID, line: Int = #line) -> Tracer {
        make(.sum(axis: axis), location: SourceLocation(fileID: fileID, line: line))
    }

    /// The dot product of a vector with clear weights of the same length.
    public func dot(_ weights: Tensor, fileID: String = #fileID, line: Int = #line) -> Tracer {
        make(.dot(weights), location: SourceLocation(fileID: fileID, line: line))
    }

    /// The same elements in another shape.
    public func reshaped(_ shape: [Int], fileID: String = #fileID, line: Int = #line) -> Tracer {
        make(.reshape(shape), location: SourceLocation(fileID: fileID, line: line))
    }

    /// The axes reversed.
    public func transposed(fileID: String = #fileID, line: Int = #line) -> Tracer {
        make(.transpose, location: SourceLocation(fileID: fileID, line: line))
    }

    /// Element or row i along the first axis (negative i counts from the end).
    public subscript(index: Int) -> Tracer { make(.index(index)) }
}

/// The matrix product of a traced vector or matrix with a clear one.
public func matmul(_ x: Tracer, _ weights: Tensor, fileID: String = #fileID, line: Int = #line) -> Tracer {
    x.make(.matmul(weights), location: SourceLocation(fileID: fileID, line: line))
}

/// Joins traced tensors along their first axis.
public func concatenate(_ parts: [Tracer], fileID: String = #fileID, line: Int = #line) -> Tracer {
    precondition(!parts.isEmpty, "concatenate needs at least one tensor")
    return parts[0].make(.concatenate, Array(parts.dropFirst()), location: SourceLocation(fileID: fileID, line: line))
}
