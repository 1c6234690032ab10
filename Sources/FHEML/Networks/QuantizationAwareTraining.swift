import FHEParameters
import Foundation

/// A multilayer perceptron trained with quantization in the loop (what Concrete ML does with
/// Brevitas): weights fake-quantized symmetrically to `weightBits` (one step per layer), hidden
/// activations ReLU then fake-quantized unsigned to `activationBits` (range: a running maximum),
/// straight-through gradients, Adam, softmax cross-entropy (classes) or squared error (one value). Inputs are the integers of per-feature
/// quantizers, centred (q − zero point), so that the first layer's weights are its integer weights'
/// reals. Pruning keeps the `keep` largest weights (by magnitude) of each neuron.
struct QuantizationAwareMLP: Sendable {
    /// Features, hidden sizes, classes.
    let sizes: [Int]
    let weightBits: Int
    let activationBits: Int
    /// Per layer: weights [inputs × outputs] row-major, biases, kept weights.
    var weights: [[Double]]
    var biases: [[Double]]
    var masks: [[Bool]]
    /// Per hidden layer: the range [0, r] of its quantized activations.
    var ranges: [Double]

    init(sizes: [Int], weightBits: Int, activationBits: Int, seed: UInt64) {
        self.sizes = sizes
        self.weightBits = weightBits
        self.activationBits = activationBits
        var generator = SeededGenerator(seed: seed)
        weights = (1..<sizes.count).map { l in
            let bound = (6 / Double(sizes[l - 1] + sizes[l])).squareRoot()   // Glorot
            return (0..<(sizes[l - 1] * sizes[l])).map { _ in Double.random(in: -bound...bound, using: &generator) }
        }
        biases = (1..<sizes.count).map { [Double](repeating: 0, count: sizes[$0]) }
        masks = weights.map { [Bool](repeating: true, count: $0.count) }
        ranges = [Double](repeating: 0, count: sizes.count - 2)
    }

    var layers: Int { sizes.count - 1 }
    private var weightLevels: Double { Double((1 << (weightBits - 1)) - 1) }
    private var activationLevels: Int { (1 << activationBits) - 1 }

    /// The step of layer l's quantized weights.
    func weightStep(_ l: Int) -> Double {
        let top = zip(weights[l], masks[l]).map { $1 ? abs($0) : 0 }.max() ?? 0
        return top > 0 ? top / weightLevels : 1
    }

    /// Layer l's fake-quantized weights (0 where pruned).
    func quantizedWeights(_ l: Int) -> [Double] {
        let step = weightStep(l)
        return zip(weights[l], masks[l]).map { $1 ? step * min(max(($0 / step).rounded(), -weightLevels), weightLevels) : 0 }
    }

    /// Hidden layer l's activation quantization.
    func activationQuantization(_ l: Int) -> FakeQuantization {
        FakeQuantization(scale: max(ranges[l], 1e-6) / Double(activationLevels), zeroPoint: 0, low: 0, high: activationLevels)
    }

    /// Every layer's pre-activations and the fake-quantized activations (the input first) of one row.
    func forward(_ x: [Double], quantized: [[Double]]) -> (pre: [[Double]], post: [[Double]]) {
        var post = [x], pre = [[Double]]()
        for l in 0..<layers {
            let (inputs, outputs) = (sizes[l], sizes[l + 1]), a = post[l]
            var z = biases[l]
            for j in 0..<inputs where a[j] != 0 {
                for k in 0..<outputs { z[k] += a[j] * quantized[l][j * outputs + k] }
            }
            pre.append(z)
            if l < layers - 1 {
                let quantization = activationQuantization(l)
                post.append(z.map { quantization.dequantize(quantization.quantize(max($0, 0))) })
            }
        }
        return (pre, post)
    }

    /// The output layer's values for one row of centred integers.
    func outputs(_ x: [Double]) -> [Double] { forward(x, quantized: (0..<layers).map(quantizedWeights)).pre.last! }

    /// What training minimises: for row i and the output layer's values z, the gradient of the
    /// loss with respect to z.
    enum Loss {
        /// Softmax cross-entropy against class labels.
        case crossEntropy([Int])
        /// Half the squared error against one target per row.
        case squaredError([Double])

        func gradient(_ i: Int, _ z: [Double]) -> [Double] {
            switch self {
            case let .crossEntropy(labels):
                var delta = softmax(z)
                delta[labels[i]] -= 1
                return delta
            case let .squaredError(targets): return [z[0] - targets[i]]
            }
        }
    }

    /// Trains on rows of centred integers; prunes to `keep` weights per neuron after a quarter
    /// of the epochs.
    mutating func train(_ rows: [[Double]], _ loss: Loss, epochs: Int, learningRate: Double, batchSize: Int, keep: Int?, seed: UInt64) {
        var generator = SeededGenerator(seed: seed ^ 0x5EED)
        var adam = (0..<layers).map { l in Adam(count: weights[l].count + biases[l].count) }
        for epoch in 0..<epochs {
            if epoch == epochs / 4, let keep { prune(keep: keep) }
            for batch in Array(rows.indices).shuffled(using: &generator).chunked(batchSize) {
                let quantized = (0..<layers).map(quantizedWeights)
                var gradients = (0..<layers).map { [Double](repeating: 0, count: weights[$0].count + biases[$0].count) }
                var batchMaxima = [Double](repeating: 0, count: ranges.count)
                for index in batch {
                    let (pre, post) = forward(rows[index], quantized: quantized)
                    for l in ranges.indices { batchMaxima[l] = max(batchMaxima[l], pre[l].max() ?? 0) }
                    var delta = loss.gradient(index, pre[layers - 1])
                    for l in stride(from: layers - 1, through: 0, by: -1) {
                        let (inputs, outputs) = (sizes[l], sizes[l + 1]), count = weights[l].count
                        for j in 0..<inputs where post[l][j] != 0 {
                            for k in 0..<outputs { gradients[l][j * outputs + k] += post[l][j] * delta[k] }
                        }
                        for k in 0..<outputs { gradients[l][count + k] += delta[k] }
                        guard l > 0 else { break }
                        // Through the weights, then the ReLU and the clipping of the quantization.
                        let range = ranges[l - 1] > 0 ? ranges[l - 1] : .infinity
                        delta = (0..<inputs).map { j in
                            let z = pre[l - 1][j]
                            guard z > 0, z < range else { return 0 }
                            return (0..<outputs).reduce(0) { $0 + delta[$1] * quantized[l][j * outputs + $1] }
                        }
                    }
                }
                for l in ranges.indices { ranges[l] = ranges[l] == 0 ? batchMaxima[l] : 0.9 * ranges[l] + 0.1 * batchMaxima[l] }
                for l in 0..<layers {
                    let steps = adam[l].step(gradients[l].map { $0 / Double(batch.count) }, learningRate: learningRate)
                    for i in weights[l].indices where masks[l][i] { weights[l][i] -= steps[i] }
                    for k in biases[l].indices { biases[l][k] -= steps[weights[l].count + k] }
                }
            }
        }
    }

    /// The trained network for quantization: each layer's fake-quantized weights (the first
    /// divided by the input quantizers' scales, since it reads reals s_j·(q_j − z_j), which
    /// quantization folds back onto the trained integers), ReLU and the activation quantization;
    /// the output layer's values times `outputScale` plus `outputShift` (a regressor's target scaling).
    func network(inputScales: [Double], postProcessing: OutputDecoding.PostProcessing, outputScale: Double = 1,
                 outputShift: Double = 0) -> Network {
        var nodes = [NetworkNode](), input = "x"
        for l in 0..<layers {
            let quantized = quantizedWeights(l), outputs = sizes[l + 1], last = l == layers - 1
            var real = l == 0 ? quantized.indices.map { quantized[$0] / inputScales[$0 / outputs] } : quantized
            var bias = biases[l], grid = weightStep(l)
            if last, outputScale != 1 || outputShift != 0 {
                real = real.map { $0 * outputScale }
                bias = bias.map { $0 * outputScale + outputShift }
                grid *= outputScale
            }
            nodes.append(NetworkNode(name: "dense \(l + 1)", operation: .dense(weights: RealTensor(shape: [sizes[l], outputs], values: real),
                                                                             bias: bias, grid: grid),
                                     inputs: [input], output: "z\(l + 1)"))
            input = "z\(l + 1)"
            guard !last else { break }
            nodes.append(NetworkNode(name: "relu \(l + 1)", operation: .activation(.relu), inputs: [input], output: "r\(l + 1)"))
            nodes.append(NetworkNode(name: "quantize \(l + 1)", operation: .activation(.fakeQuantize(activationQuantization(l))),
                                     inputs: ["r\(l + 1)"], output: "a\(l + 1)"))
            input = "a\(l + 1)"
        }
        return Network(inputName: "x", inputShape: [sizes[0]], nodes: nodes, output: input, postProcessing: postProcessing)
    }

    /// Keeps the `keep` largest weights of each neuron (output column), by magnitude.
    mutating func prune(keep: Int) {
        for l in 0..<layers {
            let (inputs, outputs) = (sizes[l], sizes[l + 1])
            for k in 0..<outputs {
                let column = (0..<inputs).map { $0 * outputs + k }
                for (rank, index) in column.sorted(by: { abs(weights[l][$0]) > abs(weights[l][$1]) }).enumerated() {
                    masks[l][index] = rank < keep
                    if rank >= keep { weights[l][index] = 0 }
                }
            }
        }
    }
}

/// Adam's moment estimates for one parameter vector.
private struct Adam {
    var first: [Double], second: [Double], t = 0

    init(count: Int) {
        first = [Double](repeating: 0, count: count)
        second = first
    }

    mutating func step(_ gradient: [Double], learningRate: Double) -> [Double] {
        t += 1
        let (b1, b2) = (0.9, 0.999), c1 = 1 - pow(b1, Double(t)), c2 = 1 - pow(b2, Double(t))
        return gradient.indices.map { i in
            first[i] = b1 * first[i] + (1 - b1) * gradient[i]
            second[i] = b2 * second[i] + (1 - b2) * gradient[i] * gradient[i]
            return learningRate * (first[i] / c1) / ((second[i] / c2).squareRoot() + 1e-8)
        }
    }
}

func softmax(_ scores: [Double]) -> [Double] { OutputDecoding.PostProcessing.softmax.apply(scores) }

extension Array {
    /// Consecutive slices of `size` elements (the last may be shorter).
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
