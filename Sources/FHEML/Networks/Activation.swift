import Foundation

/// A univariate function of a network, applied elementwise: in the circuit, one lookup fused
/// with the rescaling around it (ONNX semantics and defaults).
enum Activation: Sendable, Hashable {
    /// A requantization only: after pooling, so that the next layer reads `bits`-bit values.
    case identity
    case relu, sigmoid, tanh, softplus
    case leakyRelu(alpha: Double)
    case elu(alpha: Double)
    case selu(alpha: Double, gamma: Double)
    case hardSigmoid(alpha: Double, beta: Double)
    case clip(low: Double, high: Double)
    /// QuantizeLinear then DequantizeLinear: what a quantization-aware export marks.
    case fakeQuantize(FakeQuantization)

    /// The name in reports.
    var name: String {
        switch self {
        case .identity: "requantize"
        case .relu: "relu"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .softplus: "softplus"
        case .leakyRelu: "leaky relu"
        case .elu: "elu"
        case .selu: "selu"
        case .hardSigmoid: "hard sigmoid"
        case .clip: "clip"
        case .fakeQuantize: "quantize"
        }
    }

    func callAsFunction(_ x: Double) -> Double {
        switch self {
        case .identity: x
        case .relu: max(x, 0)
        case .sigmoid: 1 / (1 + exp(-x))
        case .tanh: Foundation.tanh(x)
        case .softplus: x > 30 ? x : log1p(exp(x))
        case let .leakyRelu(alpha): x >= 0 ? x : alpha * x
        case let .elu(alpha): x >= 0 ? x : alpha * (exp(x) - 1)
        case let .selu(alpha, gamma): gamma * (x > 0 ? x : alpha * (exp(x) - 1))
        case let .hardSigmoid(alpha, beta): min(max(alpha * x + beta, 0), 1)
        case let .clip(low, high): min(max(x, low), high)
        case let .fakeQuantize(quantization): quantization.dequantize(quantization.quantize(x))
        }
    }
}

/// ONNX's QuantizeLinear (round half to even, saturate to the integer type, then to the
/// range of a Clip before it) and DequantizeLinear, per tensor.
struct FakeQuantization: Sendable, Hashable {
    let scale: Double
    let zeroPoint: Int
    /// The smallest and largest integers.
    let low: Int
    let high: Int

    func quantize(_ x: Double) -> Int {
        let q = (x / scale).rounded(.toNearestOrEven) + Double(zeroPoint)
        return Int(min(max(q, Double(low)), Double(high)))
    }

    func dequantize(_ q: Int) -> Double { Double(q - zeroPoint) * scale }

    /// The unsigned bits that hold low…high.
    var bits: Int { max(1, Int.bitWidth - high.leadingZeroBitCount) }
}
