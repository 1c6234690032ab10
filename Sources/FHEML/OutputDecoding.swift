import Foundation

/// What a model does on the client after decryption: output k of the circuit, an integer r_k,
/// stands for the real s_k = scale_k·(r_k − offset_k) + bias_k; with `chunks` c > 1 the circuit's
/// outputs are c blocks of the same scores (an accumulator split into narrower parts, see
/// `NetworkQuantization`), and score k is the sum of s_k over the blocks. Post-processing turns the
/// scores into the prediction.
public struct OutputDecoding: Sendable, Hashable {
    /// How scores become outputs.
    public enum PostProcessing: UInt8, Sendable, Hashable {
        /// The scores themselves (regressors).
        case identity = 0
        /// One score s: the probabilities (1 − σ(s), σ(s)) of classes 0 and 1.
        case sigmoid = 1
        /// Scores of each class: their softmax.
        case softmax = 2
        /// Non-negative scores of each class (votes, leaf probabilities): divided by their sum.
        case normalize = 3
        /// The scores' log-softmax (ONNX LogSoftmax over the last axis).
        case logSoftmax = 4
        /// The largest score (ONNX ReduceMax over the last axis).
        case maximum = 5
    }

    public let scales: [Double]
    public let offsets: [Double]
    public let biases: [Double]
    public let postProcessing: PostProcessing
    /// The blocks the circuit's outputs hold (1: one output per score).
    public let chunks: Int

    /// - Throws: `MLError.invalidParameter` for counts that differ or values that are not finite.
    public init(scales: [Double], offsets: [Double], biases: [Double], postProcessing: PostProcessing, chunks: Int = 1) throws {
        guard !scales.isEmpty, scales.count == offsets.count, scales.count == biases.count,
              (scales + offsets + biases).allSatisfy(\.isFinite) else {
            throw MLError.invalidParameter("an output decoding needs as many finite scales, offsets and biases as outputs")
        }
        guard (1...8).contains(chunks), scales.count % chunks == 0 else {
            throw MLError.invalidParameter("\(scales.count) outputs do not split into \(chunks) blocks (1…8)")
        }
        guard postProcessing != .sigmoid || scales.count == chunks else {
            throw MLError.invalidParameter("a sigmoid output has one score, not \(scales.count / chunks)")
        }
        self.scales = scales
        self.offsets = offsets
        self.biases = biases
        self.postProcessing = postProcessing
        self.chunks = chunks
    }

    /// The number of the circuit's outputs.
    public var outputCount: Int { scales.count }

    /// The real scores of integer outputs.
    public func scores(_ outputs: [Int64]) -> [Double] {
        let parts = outputs.indices.map { scales[$0] * (Double(outputs[$0]) - offsets[$0]) + biases[$0] }
        let count = parts.count / chunks
        return (0..<count).map { k in (0..<chunks).reduce(0) { $0 + parts[$1 * count + k] } }
    }

    /// The prediction of integer outputs: probabilities for classifiers, values for regressors.
    public func decode(_ outputs: [Int64]) -> [Double] { postProcessing.apply(scores(outputs)) }
}

extension OutputDecoding.PostProcessing {
    /// The outputs of real scores.
    public func apply(_ scores: [Double]) -> [Double] {
        switch self {
        case .identity: return scores
        case .sigmoid:
            let p = 1 / (1 + exp(-scores[0]))
            return [1 - p, p]
        case .softmax:
            let top = scores.max()!, exponentials = scores.map { exp($0 - top) }
            let total = exponentials.reduce(0, +)
            return exponentials.map { $0 / total }
        case .logSoftmax:
            let top = scores.max()!, logTotal = log(scores.map { exp($0 - top) }.reduce(0, +)) + top
            return scores.map { $0 - logTotal }
        case .maximum:
            return [scores.max()!]
        case .normalize:
            let clipped = scores.map { max($0, 0) }, total = clipped.reduce(0, +)
            return total > 0 ? clipped.map { $0 / total } : clipped.map { _ in 1 / Double(clipped.count) }
        }
    }
}
