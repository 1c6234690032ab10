import FHECompiler

/// The integer form of a linear model y = x·W + b (W: features × outputs), Concrete ML's way:
/// no PBS. Each feature j has its own input quantizer (unsigned, `bits`, scale s_j, zero point
/// z_j); its scale is folded into the weights, w′_jk = w_jk·s_j, and each output's weights are
/// quantized symmetrically (scale t_k). The circuit computes the accumulators
/// a_k = Σ_j q(w′)_jk·q(x)_j, which the client decrypts:
///
///     y_k ≈ t_k·(a_k − Σ_j q(w′)_jk·z_j) + b_k
enum QuantizedLinear {
    static func integerModel(weights: [[Double]], biases: [Double], bits: Int, calibration rows: [[Double]],
                             postProcessing: OutputDecoding.PostProcessing) throws -> IntegerModel {
        let features = try TrainingData.featureCount(rows)
        guard weights.count == features, weights.allSatisfy({ $0.count == biases.count }) else {
            throw MLError.invalidData("the model has \(weights.count) features, the rows \(features)")
        }
        guard (2...16).contains(bits) else { throw MLError.invalidParameter("nBits must be 2…16 for a linear model, got \(bits)") }
        let inputs = try (0..<features).map { j in try Quantizer(calibratingOn: rows.map { $0[j] }, bits: bits) }
        let outputs = biases.count
        let folded = (0..<features).map { j in weights[j].map { $0 * inputs[j].scale } }
        let weightQuantizers = try (0..<outputs).map { k in
            try Quantizer(calibratingOn: folded.map { $0[k] }, bits: bits, isSigned: true, symmetric: true)
        }
        let quantized: [[Int64]] = folded.map { row in row.indices.map { Int64(weightQuantizers[$0].quantize(row[$0])) } }
        let offsets = (0..<outputs).map { k in (0..<features).map { Double(quantized[$0][k]) * Double(inputs[$0].zeroPoint) }.reduce(0, +) }
        let decoding = try OutputDecoding(scales: weightQuantizers.map(\.scale), offsets: offsets, biases: biases,
                                          postProcessing: postProcessing)
        let matrix = Tensor(int64: quantized.flatMap { $0 }, shape: [features, outputs])
        // For each output, the inputs that make its accumulator largest and smallest.
        let extremes = (0..<outputs).flatMap { k -> [[Int64]] in
            let high = (0..<features).map { Int64(quantized[$0][k] > 0 ? inputs[$0].maximum : inputs[$0].minimum) }
            let low = (0..<features).map { Int64(quantized[$0][k] > 0 ? inputs[$0].minimum : inputs[$0].maximum) }
            return [high, low]
        }
        return IntegerModel(
            inputQuantizers: inputs, decoding: decoding,
            trace: { x in matmul(x, matrix) },
            evaluate: { x in (0..<outputs).map { k in (0..<features).reduce(0) { $0 + quantized[$1][k] * x[$1] } } },
            extremeInputs: extremes,
            advice: "The linear model's accumulators (inputs × weights, \(bits) bits each, summed over \(features) features) are "
                + "too wide: lower nBits.")
    }
}
