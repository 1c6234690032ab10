import FHEProgram

/// Image and shape operations with clear weights, each one levelled linear map of its terms
/// (`LinearOperation`); max pooling adds one lookup per comparison. Images have the shape
/// [channels, height, width] (no batch dimension); windows follow ONNX (`pads` is [top, left,
/// bottom, right]).
extension Tracer {
    /// A 2-D convolution with clear integer weights [outputs, channels / groups, kh, kw] and an
    /// optional bias per output channel.
    public func conv2d(weights: Tensor, bias: [Int64]? = nil, strides: [Int] = [1, 1], pads: [Int] = [0, 0, 0, 0],
                       dilations: [Int] = [1, 1], groups: Int = 1, fileID: String = #fileID, line: Int = #line) -> Tracer {
        let location = SourceLocation(fileID: fileID, line: line)
        let window = LinearOperation.Window(kernel: Array(weights.shape.dropFirst(2)), strides: strides, pads: pads, dilations: dilations)
        let result = linear(LinearOperation.conv2d(inputShape: node.shape, weights: weights, window: window, groups: groups), location)
        guard let bias else { return result }
        guard bias.count == weights.shape.first, result.node.shape.count == 3 else {
            builder.fail("conv2d: \(bias.count) biases for \(weights.shape.first ?? 0) output channels", location)
            return result
        }
        return result + Tensor(int64: bias, shape: [bias.count, 1, 1])
    }

    /// The sum of each window of each channel (average pooling without its division).
    public func sumPool2d(kernel: [Int], strides: [Int]? = nil, pads: [Int] = [0, 0, 0, 0],
                          fileID: String = #fileID, line: Int = #line) -> Tracer {
        let window = LinearOperation.Window(kernel: kernel, strides: strides ?? kernel, pads: pads)
        return linear(LinearOperation.sumPool2d(inputShape: node.shape, window: window), SourceLocation(fileID: fileID, line: line))
    }

    /// The maximum of each window of each channel: a running maximum over the window's
    /// positions, max(a, b) = b + relu(a − b), one lookup per position after the first.
    public func maxPool2d(kernel: [Int], strides: [Int]? = nil, pads: [Int] = [0, 0, 0, 0], dilations: [Int] = [1, 1],
                          fileID: String = #fileID, line: Int = #line) -> Tracer {
        let location = SourceLocation(fileID: fileID, line: line)
        let window = LinearOperation.Window(kernel: kernel, strides: strides ?? kernel, pads: pads, dilations: dilations)
        switch LinearOperation.windowSelections(inputShape: node.shape, window: window) {
        case let .success(selections):
            let positions = selections.map { make(.linear($0), location: location) }
            return positions.dropFirst().reduce(positions[0]) { best, next in next + relu(best - next) }
        case let .failure(error):
            builder.fail(error.message, location)
            return self
        }
    }

    /// Zero padding: `pads` holds the padding before each axis, then after each (ONNX's order).
    public func padded(_ pads: [Int], fileID: String = #fileID, line: Int = #line) -> Tracer {
        linear(LinearOperation.pad(inputShape: node.shape, pads: pads), SourceLocation(fileID: fileID, line: line))
    }

    /// The axes permuted: axis i of the result is axis `axes[i]` of this tensor.
    public func transposed(axes: [Int], fileID: String = #fileID, line: Int = #line) -> Tracer {
        linear(LinearOperation.permute(inputShape: node.shape, permutation: axes), SourceLocation(fileID: fileID, line: line))
    }

    private func linear(_ operation: Result<LinearOperation, ShapeError>, _ location: SourceLocation) -> Tracer {
        switch operation {
        case let .success(operation):
            return make(.linear(operation), location: location)
        case let .failure(error):
            builder.fail(error.message, location)
            return self
        }
    }
}

extension Tracer {
    /// Element j of the result (of `shape`) is element `sources[j]` of this tensor, or 0 where
    /// it is nil: broadcasting, slicing and reordering as one levelled map.
    public func gathered(_ sources: [Int?], shape: [Int], fileID: String = #fileID, line: Int = #line) -> Tracer {
        let location = SourceLocation(fileID: fileID, line: line)
        let count = Tensor.elementCount(of: node.shape)
        guard sources.count == Tensor.elementCount(of: shape), sources.allSatisfy({ $0.map { (0..<count).contains($0) } ?? true }) else {
            builder.fail("gather: \(sources.count) sources for shape \(shape), each in 0..<\(count) or nil", location)
            return self
        }
        return make(.linear(LinearOperation.gather(inputShape: node.shape, outputShape: shape, sources: sources)), location: location)
    }
}
