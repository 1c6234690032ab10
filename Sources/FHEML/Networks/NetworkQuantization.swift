import FHECompiler
import FHEParameters
import FHEProgram
import Foundation

/// Post-training quantization of a network into an integer model (Concrete ML's way, with
/// per-element scales and offsets, `QuantizedValue`):
///
/// - the client quantizes the input: one quantizer per feature for a vector input, one for the
///   whole tensor otherwise; a quantization-aware export's input QuantizeLinear is used as it is;
/// - dense layers and convolutions fold their input's scales into the weights and quantize them
///   symmetrically to `bits` bits (or keep a quantization-aware export's integers exactly); the
///   circuit computes the integer accumulators, and the offsets and biases become offsets;
/// - before each lookup the accumulator is rounded to `roundingThresholdBits` bits (exact
///   rounding; widths measured on the calibration rows), and one lookup per element computes the
///   pending activations of the dequantized accumulator and quantizes the result to `bits` bits
///   (calibrated on the calibration rows), or to a QuantizeLinear's own scale and zero point.
struct NetworkQuantization {
    let network: Network
    let bits: Int
    /// The lookup input width after rounding; nil: the widest lookup the compiler takes.
    let roundingThresholdBits: Int?
    /// Whether FHE rounds the accumulators exactly (PBS) or approximately (free, ± one step).
    var roundingExactness = RoundingExactness.exact
    /// The calibration rows (flattened inputs).
    let rows: [[Double]]

    var steps = IntegerSteps()
    private var values = [String: QuantizedValue]()
    var inputQuantizers = [Quantizer]()
    /// For each lookup in order: its accumulator's step and the bits its rounding removes.
    var roundings = [(accumulator: Int, lsbs: Int)]()
    /// The bits each lookup's rounding removes at least (from an earlier pass).
    var minimumLsbs = [Int]()
    /// The blocks of the circuit's output (2 when the output layer is split).
    var outputChunks = 1

    /// Input quantizers given by the model (trained on them), instead of calibrating new ones.
    let givenInputQuantizers: [Quantizer]?

    init(network: Network, bits: Int, roundingThresholdBits: Int?, rows: [[Double]], inputQuantizers: [Quantizer]? = nil) {
        self.network = network
        self.bits = bits
        self.roundingThresholdBits = roundingThresholdBits
        self.rows = rows
        givenInputQuantizers = inputQuantizers
    }

    var features: Int { Tensor.elementCount(of: network.inputShape) }

    /// The integer model, its decoding and the quantizers. A lookup's rounding is first sized on
    /// its accumulator alone; when the compiler's encoding groups (`IntegerSteps.encodingGroups`)
    /// join it with wider values, the model is built again with more bits removed.
    mutating func integerModel() throws -> IntegerModel {
        for _ in 0..<4 {
            let model = try build()
            let required = try requiredLsbs()
            if zip(required, roundings).allSatisfy({ $0 <= $1.lsbs }) { return model }
            minimumLsbs = zip(required, roundings).map { max($0, $1.lsbs) }
        }
        return try build()
    }

    /// The bits each lookup's rounding must remove so that its input, in its encoding group,
    /// fits `roundingThresholdBits` (or the widest lookup).
    private func requiredLsbs() throws -> [Int] {
        let (graph, sizes) = try steps.allSteps(features: features)
        var ranges = [ClosedRange<Int64>?](repeating: nil, count: sizes.count)
        for row in rows {
            let all = try graph.evaluate([Tensor(int64: zip(row, inputQuantizers).map { Int64($1.quantize($0)) }, shape: [features])]).elements
            var start = 0
            for (step, size) in sizes.enumerated() {
                if let low = all[start..<(start + size)].min(), let high = all[start..<(start + size)].max() {
                    ranges[step] = ranges[step].map { min($0.lowerBound, low)...max($0.upperBound, high) } ?? low...high
                }
                start += size
            }
        }
        let groups = steps.encodingGroups()
        let lookupBits = roundingThresholdBits ?? Limits.defaultLookupBitWidth
        return roundings.map { rounding in
            let range = ranges.indices.filter { groups[$0] == groups[rounding.accumulator] }.compactMap { ranges[$0] }
                .reduce(ranges[rounding.accumulator] ?? 0...0) { min($0.lowerBound, $1.lowerBound)...max($0.upperBound, $1.upperBound) }
            var lsbs = max(0, IntegerType.covering(range).width - lookupBits)
            while lsbs > 0 {   // rounding up may need one more bit (approximate: up to the next multiple)
                let up: Int64 = roundingExactness == .exact ? 1 << (lsbs - 1) : (1 << lsbs) - 1
                let top = ((range.upperBound + up) >> lsbs) << lsbs, bottom = (range.lowerBound >> lsbs) << lsbs
                if IntegerType.covering(bottom...max(range.upperBound, top)).width - lsbs <= lookupBits { break }
                lsbs += 1
            }
            return lsbs
        }
    }

    private mutating func build() throws -> IntegerModel {
        steps = IntegerSteps()
        values = [:]
        roundings = []
        outputChunks = 1
        var nodes = network.nodes[...]
        try quantizeInput(&nodes)
        for node in nodes {
            let inputs = try node.inputs.map { name -> QuantizedValue in
                guard let value = values[name] else { throw MLError.unsupportedModel("node \(node.name) reads '\(name)', which is not computed") }
                return value
            }
            do {
                values[node.output] = try quantize(node.operation, inputs, node: node.name, isOutput: node.output == network.output)
            } catch let error as MLError {
                throw MLError.unsupportedModel("node \(node.name): \(error)")
            }
        }
        guard let last = values[network.output] else { throw MLError.unsupportedModel("the network's output is not computed") }
        let output = try materialize(last, before: "the output")
        let steps = self.steps, features = self.features
        let graph = try steps.graph(upTo: output.step, features: features)
        let decoding = try OutputDecoding(scales: output.scales, offsets: Array(repeating: 0, count: output.count), biases: output.offsets,
                                          postProcessing: network.postProcessing, chunks: outputChunks)
        return IntegerModel(
            inputQuantizers: inputQuantizers, decoding: decoding,
            trace: { x in steps.trace(x, upTo: output.step).reshaped([output.count]) },
            evaluate: { x in try graph.evaluate([Tensor(int64: x, shape: [features])]).elements },
            extremeInputs: [],
            advice: "An accumulator of the network is too wide for a lookup: lower nBits, or set roundingThresholdBits (at most "
                + "\(Limits.maximumLookupBitWidth)).")
    }

    // MARK: the input

    /// The input quantizers, and the integers the circuit reads as the first value. A leading
    /// QuantizeLinear (after an optional Clip) is the client's quantizer; those nodes are consumed.
    private mutating func quantizeInput(_ nodes: inout ArraySlice<NetworkNode>) throws {
        var first = nodes.first
        var clip: (low: Double, high: Double)?
        if let node = first, node.inputs == [network.inputName], case let .activation(.clip(low, high)) = node.operation,
           nodes.count > 1, case .activation(.fakeQuantize) = nodes[nodes.startIndex + 1].operation,
           nodes[nodes.startIndex + 1].inputs == [node.output] {
            clip = (low, high)
            nodes = nodes.dropFirst()
            first = nodes.first
        }
        var inputName = network.inputName
        if let node = first, node.inputs == [clip == nil ? network.inputName : inputName] || clip != nil,
           case let .activation(.fakeQuantize(quantization)) = node.operation {
            let top = clip.map { quantization.quantize($0.high) } ?? quantization.high
            let quantizer = try Quantizer(bits: max(1, Int.bitWidth - top.leadingZeroBitCount), isSigned: false,
                                          scale: quantization.scale, zeroPoint: quantization.zeroPoint)
            inputQuantizers = Array(repeating: quantizer, count: features)
            nodes = nodes.dropFirst()
            inputName = node.output
        } else if clip != nil {
            throw MLError.unsupportedModel("a Clip on the input must be followed by QuantizeLinear")
        } else if let givenInputQuantizers {
            inputQuantizers = givenInputQuantizers
        } else if network.inputShape.count == 1 {
            inputQuantizers = try (0..<features).map { j in try Quantizer(calibratingOn: rows.map { $0[j] }, bits: bits) }
        } else {
            let quantizer = try Quantizer(calibratingOn: rows.flatMap { $0 }, bits: bits)
            inputQuantizers = Array(repeating: quantizer, count: features)
        }
        let shape = network.inputShape
        let step = shape.count == 1 ? 0 : steps.add([0]) { $0[0].reshaped(shape) }
        values[inputName] = QuantizedValue(step: step, shape: shape, scales: inputQuantizers.map(\.scale),
                                           offsets: inputQuantizers.map { -$0.scale * Double($0.zeroPoint) })
    }

    // MARK: operations

    private mutating func quantize(_ operation: NetworkOperation, _ inputs: [QuantizedValue], node: String, isOutput: Bool) throws -> QuantizedValue {
        var x = inputs[0]
        switch operation {
        case let .activation(function):
            x.pending.append(function)
            return x
        case let .reshape(shape):
            return QuantizedValue(step: steps.add([x.step]) { $0[0].reshaped(shape) }, shape: shape, scales: x.scales, offsets: x.offsets,
                                  pending: x.pending)
        case let .transpose(permutation):
            guard case let .success(map) = LinearOperation.permute(inputShape: x.shape, permutation: permutation) else {
                throw MLError.unsupportedModel("the permutation \(permutation) does not fit shape \(x.shape)")
            }
            return QuantizedValue(step: steps.add([x.step]) { $0[0].transposed(axes: permutation) }, shape: map.outputShape,
                                  scales: RealTensor(shape: x.shape, values: x.scales).gathered(map).values,
                                  offsets: RealTensor(shape: x.shape, values: x.offsets).gathered(map).values, pending: x.pending)
        case let .expand(shape):
            let sources = RealTensor(shape: x.shape, values: (0..<x.count).map(Double.init)).broadcast(to: shape)!.values.map { Int($0) }
            return QuantizedValue(step: steps.add([x.step]) { $0[0].gathered(sources, shape: shape) }, shape: shape,
                                  scales: sources.map { x.scales[$0] }, offsets: sources.map { x.offsets[$0] }, pending: x.pending)
        default:
            break
        }
        x = try materialize(x, before: node)
        switch operation {
        case let .add(constant):
            let c = constant.broadcast(to: x.shape)!
            x.offsets = zip(x.offsets, c.values).map(+)
            return x
        case let .multiply(constant):
            let c = constant.broadcast(to: x.shape)!
            x.scales = zip(x.scales, c.values).map(*)
            x.offsets = zip(x.offsets, c.values).map(*)
            return x
        case let .dense(weights, bias, grid):
            return try dense(x, weights: weights, bias: bias, grid: grid, isOutput: isOutput)
        case let .conv(weights, bias, window, groups, grid):
            return try conv(x, weights: weights, bias: bias, window: window, groups: groups, grid: grid)
        case let .averagePool(window, countIncludePad):
            guard x.channelScales != nil, case let .success(sum) = LinearOperation.sumPool2d(inputShape: x.shape, window: window) else {
                throw MLError.unsupportedModel("average pooling needs one scale per channel and a window that fits \(x.shape)")
            }
            let counts = countIncludePad ? [Int](repeating: window.kernel.reduce(1, *), count: sum.map.outputCount)
                : LinearOperation.windowCounts(inputShape: x.shape, window: window)
            let channelOf = sum.map.outputCount / x.shape[0], perChannel = x.count / x.shape[0]
            let offsets = RealTensor(shape: x.shape, values: x.offsets).gathered(sum).values
            // The sums are wider than their terms: requantized by the next lookup (fused with an
            // activation that follows, one lookup per element before a linear layer).
            return QuantizedValue(step: steps.add([x.step]) { $0[0].sumPool2d(kernel: window.kernel, strides: window.strides, pads: window.pads) },
                                  shape: sum.outputShape,
                                  scales: counts.indices.map { x.scales[($0 / channelOf) * perChannel] / Double(counts[$0]) },
                                  offsets: zip(offsets, counts).map { $0 / Double($1) }, pending: [.identity])
        case let .maxPool(window):
            guard let scales = x.channelScales, scales.allSatisfy({ $0 > 0 }),
                  x.offsets.indices.allSatisfy({ x.offsets[$0] == x.offsets[($0 / (x.count / x.shape[0])) * (x.count / x.shape[0])] }),
                  case let .success(selections) = LinearOperation.windowSelections(inputShape: x.shape, window: window) else {
                throw MLError.unsupportedModel("max pooling needs a positive scale and one offset per channel, and a window that fits \(x.shape)")
            }
            // max(a, b) = b + relu(a − b) keeps the windows' encoding: the next lookup starts a new
            // one, so that a wide accumulator after the pooling does not widen the comparisons.
            let shape = selections[0].outputShape, perChannel = Tensor.elementCount(of: shape) / shape[0], inputPerChannel = x.count / x.shape[0]
            return QuantizedValue(step: steps.add([x.step]) {
                $0[0].maxPool2d(kernel: window.kernel, strides: window.strides, pads: window.pads, dilations: window.dilations)
            }, shape: shape, scales: (0..<Tensor.elementCount(of: shape)).map { scales[$0 / perChannel] },
               offsets: (0..<Tensor.elementCount(of: shape)).map { x.offsets[($0 / perChannel) * inputPerChannel] }, pending: [.identity])
        case let .pad(pads):
            guard let scale = x.uniformScale, case let .success(map) = LinearOperation.pad(inputShape: x.shape, pads: pads) else {
                throw MLError.unsupportedModel("padding needs one scale for the whole tensor")
            }
            // Padded integers are 0 with offset 0: the real 0.
            return QuantizedValue(step: steps.add([x.step]) { $0[0].padded(pads) }, shape: map.outputShape,
                                  scales: Array(repeating: scale, count: map.map.outputCount),
                                  offsets: RealTensor(shape: x.shape, values: x.offsets).gathered(map).values)
        case let .concat(axis):
            let parts = try inputs.map { try materialize($0, before: node) }
            return concatenate(parts, axis: axis)
        case let .reduce(axes, keepDims, mean):
            guard let scale = x.uniformScale else { throw MLError.unsupportedModel("a reduction needs one scale for the whole tensor") }
            let reduced = try NetworkOperation.reduce(axes: axes, keepDims: keepDims, mean: mean)
                .evaluate([RealTensor(shape: x.shape, values: x.offsets)], node: "reduce")
            let divisor = mean ? Double(axes.map { x.shape[$0] }.reduce(1, *)) : 1
            return QuantizedValue(step: steps.add([x.step]) { tracers in
                axes.reversed().reduce(tracers[0]) { $0.sum(axis: $1) }.reshaped(reduced.shape)
            }, shape: reduced.shape, scales: Array(repeating: scale / divisor, count: reduced.count), offsets: reduced.values)
        default:
            preconditionFailure("handled above")
        }
    }
}
