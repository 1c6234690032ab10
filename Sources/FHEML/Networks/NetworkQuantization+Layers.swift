import FHECompiler
import FHEParameters
import FHEProgram
import Foundation

extension NetworkQuantization {
    /// Integer weights and their scale t: the input scales folded in, then symmetric quantization
    /// to `bits` bits, or the trained grid kept exactly (quantization-aware weights): the grid
    /// times the input scale when it is one, or the grid itself when the folded weights lie on it.
    private func integerWeights(_ folded: [Double], grid: Double?, inputScale: Double?) throws -> (weights: [Int64], scale: Double) {
        if let grid {
            for t in [inputScale.map { grid * $0 }, grid].compactMap({ $0 }) where t > 0 {
                let integers = folded.map { ($0 / t).rounded() }
                if zip(folded, integers).allSatisfy({ abs($0 - $1 * t) <= 1e-6 * t }) { return (integers.map { Int64($0) }, t) }
            }
        }
        let quantizer = try Quantizer(calibratingOn: folded, bits: bits, isSigned: true, symmetric: true)
        return (folded.map { Int64(quantizer.quantize($0)) }, quantizer.scale)
    }

    /// x·W + b: the circuit computes Σ_j q(W_jk·s_j)·q_j; the offsets carry the rest. The
    /// network's output layer, when its accumulators are wider than `splitWidth` bits, computes
    /// them in parts, one per `chunkBits` bits of the weights, W = Σ_c 2^(b·c)·W_c, that the client
    /// decrypts and adds (`OutputDecoding.chunks`): exact, no PBS, and each part needs less
    /// precision, and far less noise, than the whole.
    mutating func dense(_ x: QuantizedValue, weights: RealTensor, bias: [Double], grid: Double?, isOutput: Bool) throws -> QuantizedValue {
        let (inner, outputs) = (weights.shape[0], weights.shape[1]), rows = x.count / inner
        guard x.shape.last == inner, x.shape.count <= 2 else { throw MLError.unsupportedModel("a dense layer of \(inner) inputs reads shape \(x.shape)") }
        let columnScales = (0..<inner).map { x.scales[$0] }
        guard (0..<x.count).allSatisfy({ x.scales[$0] == columnScales[$0 % inner] }) else {
            throw MLError.unsupportedModel("the rows of a matrix input need the same scales")
        }
        let folded = weights.values.indices.map { weights.values[$0] * columnScales[$0 / outputs] }
        let uniform = columnScales.allSatisfy { $0 == columnScales[0] } ? columnScales[0] : nil
        let (integers, t) = try integerWeights(folded, grid: grid, inputScale: uniform)
        // The real weights the integers stand for, on the reals x (scale·q + offset).
        let effective = integers.indices.map { columnScales[$0 / outputs] == 0 ? weights.values[$0] : t * Double(integers[$0]) / columnScales[$0 / outputs] }
        let offsets = try NetworkOperation.dense(weights: RealTensor(shape: weights.shape, values: effective), bias: bias, grid: nil)
            .evaluate([RealTensor(shape: x.shape, values: x.offsets)], node: "dense").values
        let matrix = Tensor(int64: integers, shape: [inner, outputs])
        if isOutput, x.shape.count == 1, let chunks = try chunkCount(x, integers, outputs: outputs), chunks > 1 {
            // W = Σ_c 2^(b·c)·W_c: b-bit chunks, the top one signed.
            let b = Self.chunkBits
            let parts = (0..<chunks).map { c in
                Tensor(int64: integers.map { c == chunks - 1 ? $0 >> (b * c) : ($0 >> (b * c)) & ((1 << b) - 1) }, shape: [inner, outputs])
            }
            outputChunks = chunks
            return QuantizedValue(step: steps.add([x.step]) { tracers in FHECompiler.concatenate(parts.map { matmul(tracers[0], $0) }) },
                                  shape: [chunks * outputs],
                                  scales: (0..<chunks).flatMap { c in Array(repeating: t * Double(1 << (b * c)), count: outputs) },
                                  offsets: offsets + Array(repeating: 0, count: (chunks - 1) * outputs))
        }
        return QuantizedValue(step: steps.add([x.step]) { matmul($0[0], matrix) }, shape: Array(x.shape.dropLast()) + [outputs],
                              scales: Array(repeating: t, count: rows * outputs), offsets: offsets)
    }

    /// The accumulators' widest width decrypted whole; wider output layers are split.
    static let splitWidth = 10
    /// The bits of the weights per part of a split output layer.
    static let chunkBits = 2

    /// The parts of the output layer: one when its accumulators on the calibration rows fit
    /// `splitWidth` bits, else one per `chunkBits` bits of the weights.
    private func chunkCount(_ x: QuantizedValue, _ integers: [Int64], outputs: Int) throws -> Int? {
        let inputs = try measure(x.step), inner = x.count
        var range: ClosedRange<Int64> = 0...0
        for start in stride(from: 0, to: inputs.count, by: inner) {
            for k in 0..<outputs {
                let total = (0..<inner).reduce(Int64(0)) { $0 + inputs[start + $1] * integers[$1 * outputs + k] }
                range = min(range.lowerBound, total)...max(range.upperBound, total)
            }
        }
        guard IntegerType.covering(range).width > Self.splitWidth else { return nil }
        let weightBits = Int64.bitWidth - (integers.map(\.magnitude).max() ?? 0).leadingZeroBitCount + 1   // with the sign
        return min((weightBits + Self.chunkBits - 1) / Self.chunkBits, 8)
    }

    /// A convolution: each input channel's scale folded into its weights, as for dense layers.
    mutating func conv(_ x: QuantizedValue, weights: RealTensor, bias: [Double], window: LinearOperation.Window, groups: Int,
                       grid: Double?) throws -> QuantizedValue {
        guard let channelScales = x.channelScales, x.shape.count == 3 else {
            throw MLError.unsupportedModel("a convolution needs one scale per input channel of [channels, height, width], got \(x.shape)")
        }
        let (outputs, perGroup) = (weights.shape[0], weights.shape[1]), perFilter = weights.count / outputs
        let kernelSize = perFilter / perGroup
        func channel(_ index: Int) -> Int { (index / perFilter / (outputs / groups)) * perGroup + (index % perFilter) / kernelSize }
        let folded = weights.values.indices.map { weights.values[$0] * channelScales[channel($0)] }
        let uniform = channelScales.allSatisfy { $0 == channelScales[0] } ? channelScales[0] : nil
        let (integers, t) = try integerWeights(folded, grid: grid, inputScale: uniform)
        let effective = integers.indices.map { channelScales[channel($0)] == 0 ? weights.values[$0] : t * Double(integers[$0]) / channelScales[channel($0)] }
        let offsets = try NetworkOperation.conv(weights: RealTensor(shape: weights.shape, values: effective), bias: bias, window: window,
                                                groups: groups, grid: nil)
            .evaluate([RealTensor(shape: x.shape, values: x.offsets)], node: "conv")
        let kernel = Tensor(int64: integers, shape: weights.shape)
        return QuantizedValue(step: steps.add([x.step]) {
            $0[0].conv2d(weights: kernel, strides: window.strides, pads: window.pads, dilations: window.dilations, groups: groups)
        }, shape: offsets.shape, scales: Array(repeating: t, count: offsets.count), offsets: offsets.values)
    }

    /// Joins along `axis`: the circuit's concatenation joins along the first, so the axis is
    /// moved there and back.
    mutating func concatenate(_ parts: [QuantizedValue], axis: Int) -> QuantizedValue {
        let rank = parts[0].shape.count
        let toFront = [axis] + (0..<rank).filter { $0 != axis }
        let back = (0..<rank).map { position in toFront.firstIndex(of: position)! }
        func joined(_ values: [[Double]]) -> [Double] {
            try! NetworkOperation.concat(axis: axis).evaluate(zip(parts, values).map { RealTensor(shape: $0.shape, values: $1) }, node: "concat").values
        }
        var shape = parts[0].shape
        shape[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
        let step = steps.add(parts.map(\.step)) { tracers in
            guard axis != 0 else { return FHECompiler.concatenate(tracers) }
            return FHECompiler.concatenate(tracers.map { $0.transposed(axes: toFront) }).transposed(axes: back)
        }
        return QuantizedValue(step: step, shape: shape, scales: joined(parts.map(\.scales)), offsets: joined(parts.map(\.offsets)))
    }

    // MARK: lookups

    /// The value with its pending functions applied by one lookup per element: the accumulator
    /// (its offsets made one by an integer shift) rounded to the lookup width, dequantized, the
    /// functions applied, the result quantized to `bits` bits (calibrated on the rows) or to the
    /// last function's QuantizeLinear.
    /// The lookup is named after its functions and the node it feeds (`ModelReport`'s stages).
    mutating func materialize(_ x: QuantizedValue, before node: String) throws -> QuantizedValue {
        guard !x.pending.isEmpty else { return x }
        var accumulator = x.step
        // Scales that are integer multiples of one (average pooling's divisors) are made one by a
        // levelled multiplication.
        guard let (scale, factors) = Self.commonScale(x.scales), scale != 0 else {
            throw MLError.unsupportedModel("an activation reads values of different scales: fold the multiplication before it into the layer")
        }
        if factors.contains(where: { $0 != 1 }) {
            let constant = Tensor(int64: factors, shape: x.shape)
            accumulator = steps.add([accumulator]) { $0[0] * constant }
        }
        let base = x.offsets[0]
        let shifts = x.offsets.map { Int64((($0 - base) / scale).rounded()) }
        if shifts.contains(where: { $0 != 0 }) {
            let constant = Tensor(int64: shifts, shape: x.shape)
            accumulator = steps.add([accumulator]) { $0[0] + constant }
        }
        let integers = try measure(accumulator)
        let range = (integers.min() ?? 0)...(integers.max() ?? 0)
        let width = IntegerType.covering(range).width
        let lookupBits = roundingThresholdBits ?? Limits.defaultLookupBitWidth
        let lsbs = max(width - lookupBits, minimumLsbs.indices.contains(roundings.count) ? minimumLsbs[roundings.count] : 0, 0)
        roundings.append((accumulator, lsbs))
        func rounded(_ v: Int64) -> Int64 { lsbs == 0 ? v : ((v + (1 << (lsbs - 1))) >> lsbs) << lsbs }
        var functions = x.pending
        let output: (quantize: @Sendable (Double) -> Int, scale: Double, zeroPoint: Int)
        if case let .fakeQuantize(quantization)? = functions.last {
            functions.removeLast()
            output = ({ quantization.quantize($0) }, quantization.scale, quantization.zeroPoint)
        } else {
            let reals = integers.map { functions.reduce(scale * Double(rounded($0)) + base) { value, f in f(value) } }
            let quantizer = try Quantizer(calibratingOn: reals, bits: bits)
            output = ({ quantizer.quantize($0) }, quantizer.scale, quantizer.zeroPoint)
        }
        let fused = functions
        let table: @Sendable (Int) -> Int = { v in output.quantize(fused.reduce(scale * Double(v) + base) { value, f in f(value) }) }
        let exactness = roundingExactness, name = x.pending.map(\.name).joined(separator: ", ") + " before \(node)"
        let step = steps.add([accumulator], isLookup: true) { tracers in
            let input = lsbs > 0 ? roundBitPattern(tracers[0], lsbsToRemove: lsbs, exactness: exactness) : tracers[0]
            return input.apply(name, table)
        }
        return QuantizedValue(step: step, shape: x.shape, scales: Array(repeating: output.scale, count: x.count),
                              offsets: Array(repeating: -output.scale * Double(output.zeroPoint), count: x.count))
    }

    /// A scale c and small integers m_e with scale_e = m_e·c for every element, if there are any
    /// (m_e ≤ 64).
    static func commonScale(_ scales: [Double]) -> (Double, [Int64])? {
        guard let smallest = scales.min(by: { abs($0) < abs($1) }), smallest != 0 else { return nil }
        for divisor in 1...64 {
            let common = smallest / Double(divisor)
            let factors = scales.map { ($0 / common).rounded() }
            if zip(scales, factors).allSatisfy({ abs($0 - $1 * common) <= 1e-9 * abs($0) }), factors.allSatisfy({ $0 >= 1 && $0 <= 64 }) {
                return (common, factors.map { Int64($0) })
            }
        }
        return nil
    }

    /// The integers of step `step` on every calibration row, all elements together.
    func measure(_ step: Int) throws -> [Int64] {
        let graph = try steps.graph(upTo: step, features: features)
        return try rows.flatMap { row in
            try graph.evaluate([Tensor(int64: zip(row, inputQuantizers).map { Int64($1.quantize($0)) }, shape: [features])]).elements
        }
    }
}
