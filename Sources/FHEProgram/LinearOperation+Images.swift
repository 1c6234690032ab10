/// The linear operations of image networks (ONNX semantics, on one image of shape
/// [channels, height, width]: no batch dimension) and the gathers behind shape operations.
/// Each builds its terms by index arithmetic, in-bounds terms only, so padding costs nothing.
extension LinearOperation {
    /// The geometry of a sliding window over [height, width].
    public struct Window: Sendable, Hashable {
        public let kernel: [Int]
        public let strides: [Int]
        /// [top, left, bottom, right], as ONNX's `pads`.
        public let pads: [Int]
        public let dilations: [Int]

        public init(kernel: [Int], strides: [Int] = [1, 1], pads: [Int] = [0, 0, 0, 0], dilations: [Int] = [1, 1]) {
            self.kernel = kernel
            self.strides = strides
            self.pads = pads
            self.dilations = dilations
        }

        /// Why the window does not fit an image of `size` ([height, width]), or nil.
        public func problem(size: [Int]) -> String? {
            guard kernel.count == 2, strides.count == 2, pads.count == 4, dilations.count == 2, size.count == 2 else {
                return "a 2-D window needs 2 kernel sizes, strides and dilations and 4 pads"
            }
            guard kernel.allSatisfy({ (1...1024).contains($0) }), strides.allSatisfy({ (1...1024).contains($0) }),
                  dilations.allSatisfy({ (1...1024).contains($0) }), pads.allSatisfy({ (0...1024).contains($0) })
            else { return "kernel \(kernel), strides \(strides), dilations \(dilations) and pads \(pads) must be in 1…1024 (pads 0…1024)" }
            guard outputSize(size).allSatisfy({ $0 >= 1 }) else { return "a window of \(kernel) (dilations \(dilations)) does not fit \(size) padded by \(pads)" }
            return nil
        }

        /// The output [height, width] for an input of `size`.
        public func outputSize(_ size: [Int]) -> [Int] {
            (0..<2).map { axis in
                let span = dilations[axis] * (kernel[axis] - 1) + 1
                let padded = size[axis] + pads[axis] + pads[axis + 2]
                return padded < span ? 0 : (padded - span) / strides[axis] + 1
            }
        }

        /// The input position that kernel offset (ky, kx) of output (y, x) reads, nil in the padding.
        package func source(_ y: Int, _ x: Int, _ ky: Int, _ kx: Int, size: [Int]) -> (Int, Int)? {
            let iy = y * strides[0] - pads[0] + ky * dilations[0], ix = x * strides[1] - pads[1] + kx * dilations[1]
            return (0..<size[0]).contains(iy) && (0..<size[1]).contains(ix) ? (iy, ix) : nil
        }
    }

    /// A 2-D convolution with clear integer weights of shape [outputs, channels / groups,
    /// kernel height, kernel width] (no bias: add it after), on an image of `inputShape`
    /// [channels, height, width].
    /// - Returns: why, when the shapes or the window do not fit.
    package static func conv2d(inputShape: [Int], weights: Tensor, window: Window, groups: Int) -> Result<LinearOperation, ShapeError> {
        guard inputShape.count == 3, weights.shape.count == 4 else {
            return .failure(ShapeError("conv2d reads [channels, height, width] with weights [outputs, channels / groups, kh, kw], got \(inputShape) and \(weights.shape)"))
        }
        let (channels, outputs) = (inputShape[0], weights.shape[0]), size = Array(inputShape[1...])
        let window = Window(kernel: Array(weights.shape[2...]), strides: window.strides, pads: window.pads, dilations: window.dilations)
        if let problem = window.problem(size: size) { return .failure(ShapeError("conv2d: \(problem)")) }
        guard groups >= 1, channels % groups == 0, outputs % groups == 0, weights.shape[1] == channels / groups else {
            return .failure(ShapeError("conv2d: \(channels) channels and \(outputs) outputs in \(groups) groups need weights of [\(outputs), \(channels / max(groups, 1)), kh, kw], got \(weights.shape)"))
        }
        let out = window.outputSize(size), perGroup = channels / groups, kh = window.kernel[0], kw = window.kernel[1]
        var builder = LinearMap.Builder(outputCount: outputs * out[0] * out[1])
        for m in 0..<outputs {
            let firstChannel = (m / (outputs / groups)) * perGroup
            for y in 0..<out[0] {
                for x in 0..<out[1] {
                    for c in 0..<perGroup {
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let weight = weights.elements[((m * perGroup + c) * kh + ky) * kw + kx]
                                guard weight != 0, let (iy, ix) = window.source(y, x, ky, kx, size: size) else { continue }
                                builder.add(((firstChannel + c) * size[0] + iy) * size[1] + ix, weight)
                            }
                        }
                    }
                    builder.endRow()
                }
            }
        }
        return .success(LinearOperation(name: "conv2d", inputShape: inputShape, outputShape: [outputs] + out, map: builder.map))
    }

    /// The sum of each window of each channel (average pooling before its division, which
    /// belongs to the lookup or the scale that follows): padding adds nothing.
    package static func sumPool2d(inputShape: [Int], window: Window) -> Result<LinearOperation, ShapeError> {
        guard inputShape.count == 3 else { return .failure(ShapeError("sum_pool2d reads [channels, height, width], got \(inputShape)")) }
        let size = Array(inputShape[1...])
        if let problem = window.problem(size: size) { return .failure(ShapeError("sum_pool2d: \(problem)")) }
        let out = window.outputSize(size)
        var builder = LinearMap.Builder(outputCount: inputShape[0] * out[0] * out[1])
        for c in 0..<inputShape[0] {
            for y in 0..<out[0] {
                for x in 0..<out[1] {
                    for ky in 0..<window.kernel[0] {
                        for kx in 0..<window.kernel[1] {
                            if let (iy, ix) = window.source(y, x, ky, kx, size: size) { builder.add((c * size[0] + iy) * size[1] + ix, 1) }
                        }
                    }
                    builder.endRow()
                }
            }
        }
        return .success(LinearOperation(name: "sum_pool2d", inputShape: inputShape, outputShape: [inputShape[0]] + out, map: builder.map))
    }

    /// For each window of each channel, the number of its positions inside the image (the
    /// divisors of an average pooling that does not count padding).
    package static func windowCounts(inputShape: [Int], window: Window) -> [Int] {
        let size = Array(inputShape[1...]), out = window.outputSize(size)
        let counts = (0..<out[0]).flatMap { y in (0..<out[1]).map { x in
            (0..<window.kernel[0]).reduce(0) { total, ky in
                total + (0..<window.kernel[1]).count { kx in window.source(y, x, ky, kx, size: size) != nil }
            }
        } }
        return Array((0..<inputShape[0]).map { _ in counts }.joined())
    }

    /// The window positions of a max pooling: one gather per kernel offset, of shape
    /// [channels, out height, out width]. A position in the padding reads the window's first
    /// in-bounds element instead, which leaves the window's maximum unchanged.
    package static func windowSelections(inputShape: [Int], window: Window) -> Result<[LinearOperation], ShapeError> {
        guard inputShape.count == 3 else { return .failure(ShapeError("max_pool2d reads [channels, height, width], got \(inputShape)")) }
        let size = Array(inputShape[1...])
        if let problem = window.problem(size: size) { return .failure(ShapeError("max_pool2d: \(problem)")) }
        let out = window.outputSize(size), offsets = (0..<window.kernel[0]).flatMap { ky in (0..<window.kernel[1]).map { (ky, $0) } }
        var sources = [[Int]](repeating: [], count: offsets.count)
        for c in 0..<inputShape[0] {
            for y in 0..<out[0] {
                for x in 0..<out[1] {
                    let inside = offsets.map { window.source(y, x, $0.0, $0.1, size: size) }
                    guard let first = inside.compactMap({ $0 }).first else {
                        return .failure(ShapeError("max_pool2d: a window lies entirely in the padding (pads \(window.pads))"))
                    }
                    for (k, position) in inside.enumerated() {
                        let (iy, ix) = position ?? first
                        sources[k].append((c * size[0] + iy) * size[1] + ix)
                    }
                }
            }
        }
        return .success(sources.map { gather(name: "window", inputShape: inputShape, outputShape: [inputShape[0]] + out, sources: $0) })
    }

    /// Output element j is input element `sources[j]`, or 0 where it is nil (padding).
    package static func gather(name: String = "gather", inputShape: [Int], outputShape: [Int], sources: [Int?]) -> LinearOperation {
        var builder = LinearMap.Builder(outputCount: sources.count)
        for source in sources {
            if let source { builder.add(source, 1) }
            builder.endRow()
        }
        return LinearOperation(name: name, inputShape: inputShape, outputShape: outputShape, map: builder.map)
    }

    /// Zero padding of each axis by `pads` ([begin of each axis…, end of each axis…], ONNX's order).
    package static func pad(inputShape: [Int], pads: [Int]) -> Result<LinearOperation, ShapeError> {
        let rank = inputShape.count
        guard pads.count == 2 * rank, pads.allSatisfy({ (0...1024).contains($0) }) else {
            return .failure(ShapeError("pad of a rank-\(rank) tensor needs \(2 * rank) pads in 0…1024, got \(pads)"))
        }
        let outputShape = (0..<rank).map { inputShape[$0] + pads[$0] + pads[$0 + rank] }
        guard let count = Tensor.checkedElementCount(of: outputShape), count <= Program.maximumElements else {
            return .failure(ShapeError("pad of \(inputShape) by \(pads) is too large"))
        }
        let sources = (0..<count).map { j -> Int? in
            var rest = j, source = 0, step = 1
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                let position = rest % outputShape[axis] - pads[axis]
                rest /= outputShape[axis]
                guard (0..<inputShape[axis]).contains(position) else { return nil }
                source += position * step
                step *= inputShape[axis]
            }
            return source
        }
        return .success(gather(name: "pad", inputShape: inputShape, outputShape: outputShape, sources: sources))
    }

    /// The axes permuted: output axis i is input axis `permutation[i]` (numpy's transpose(axes)).
    package static func permute(inputShape: [Int], permutation: [Int]) -> Result<LinearOperation, ShapeError> {
        let rank = inputShape.count
        guard permutation.sorted() == Array(0..<rank) else {
            return .failure(ShapeError("transpose of a rank-\(rank) tensor needs a permutation of 0..<\(rank), got \(permutation)"))
        }
        let outputShape = permutation.map { inputShape[$0] }
        var inputStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { inputStrides[axis] = inputStrides[axis + 1] * inputShape[axis + 1] }
        let sources = (0..<Tensor.elementCount(of: outputShape)).map { j -> Int? in
            var rest = j, source = 0
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                source += (rest % outputShape[axis]) * inputStrides[permutation[axis]]
                rest /= outputShape[axis]
            }
            return source
        }
        return .success(gather(name: "transpose", inputShape: inputShape, outputShape: outputShape, sources: sources))
    }
}
