import FHECompiler
import Foundation

/// Least squares, optionally ridge: minimises ‖y − X·w − b‖² + alpha·‖w‖² (the intercept is not
/// penalised), solved exactly (normal equations, Cholesky). In FHE: a quantized dot product,
/// no PBS; the client decrypts the accumulator and dequantizes.
public final class LinearRegression: FHERegressor {
    /// Bits of the quantized inputs and weights.
    public let nBits: Int
    /// The ridge penalty (0: ordinary least squares).
    public let alpha: Double
    /// The coefficients, one per feature, and the intercept (after `fit`).
    public private(set) var coefficients: [Double] = []
    public private(set) var intercept: Double = 0
    public private(set) var compiledModel: CompiledModel?

    public init(nBits: Int = 8, alpha: Double = 0) {
        self.nBits = nBits
        self.alpha = alpha
    }

    /// A model trained elsewhere, from its coefficients and intercept.
    public init(coefficients: [Double], intercept: Double, nBits: Int = 8) {
        self.nBits = nBits
        alpha = 0
        self.coefficients = coefficients
        self.intercept = intercept
    }

    /// Fits the coefficients in floating point.
    /// - Throws: `MLError.invalidData` for bad rows or targets, or collinear features with alpha 0.
    public func fit(_ rows: [[Double]], _ targets: [Double]) throws {
        let features = try TrainingData.featureCount(rows)
        try TrainingData.checkTargets(targets, rows: rows.count)
        guard alpha >= 0, alpha.isFinite else { throw MLError.invalidParameter("alpha must be ≥ 0, got \(alpha)") }
        let count = Double(rows.count)
        let means = (0..<features).map { j in rows.reduce(0) { $0 + $1[j] } / count }
        let targetMean = targets.reduce(0, +) / count
        var gram = [Double](repeating: 0, count: features * features), moments = [Double](repeating: 0, count: features)
        for (row, target) in zip(rows, targets) {
            let centered = zip(row, means).map { $0 - $1 }
            for a in 0..<features {
                moments[a] += centered[a] * (target - targetMean)
                for b in 0..<features { gram[a * features + b] += centered[a] * centered[b] }
            }
        }
        for a in 0..<features { gram[a * features + a] += alpha }
        coefficients = try Solvers.choleskySolve(gram, moments, size: features)
        intercept = targetMean - zip(means, coefficients).reduce(0) { $0 + $1.0 * $1.1 }
        compiledModel = nil
    }

    public func floatPredictions(_ rows: [[Double]]) throws -> [Double] {
        try requireFitted()
        return rows.map { zip($0, coefficients).reduce(intercept) { $0 + $1.0 * $1.1 } }
    }

    public func compile(_ rows: [[Double]], configuration: Configuration) throws {
        try requireFitted()
        let model = try QuantizedLinear.integerModel(weights: coefficients.map { [$0] }, biases: [intercept], bits: nBits,
                                                     calibration: rows, postProcessing: .identity)
        compiledModel = try CompiledModel(model, calibration: rows, configuration: configuration)
    }

    private func requireFitted() throws {
        guard !coefficients.isEmpty else { throw MLError.notReady("fit the model first: model.fit(rows, targets)") }
    }
}

/// Logistic regression with an L2 penalty, scikit-learn's objective: minimises
/// ½‖W‖² + C·Σᵢ loss(xᵢ) (the intercepts not penalised) by L-BFGS; binary (one score, sigmoid) or
/// multinomial (one score per class, softmax). In FHE: quantized dot products, no PBS; the
/// client decrypts the scores, dequantizes and applies the sigmoid or softmax.
public final class LogisticRegression: FHEClassifier {
    public let nBits: Int
    /// The inverse of the regularisation strength (scikit-learn's C).
    public let c: Double
    public let maxIterations: Int
    /// Coefficients: features × scores (one score for two classes, one per class otherwise).
    public private(set) var coefficients: [[Double]] = []
    public private(set) var intercepts: [Double] = []
    public private(set) var classCount = 0
    public private(set) var compiledModel: CompiledModel?

    public init(nBits: Int = 8, c: Double = 1, maxIterations: Int = 500) {
        self.nBits = nBits
        self.c = c
        self.maxIterations = maxIterations
    }

    /// A model trained elsewhere: coefficients (features × 1 for two classes, features × classes
    /// otherwise) and intercepts.
    /// - Throws: `MLError.invalidParameter` for shapes that do not agree.
    public init(coefficients: [[Double]], intercepts: [Double], nBits: Int = 8) throws {
        guard !coefficients.isEmpty, !intercepts.isEmpty, coefficients.allSatisfy({ $0.count == intercepts.count }) else {
            throw MLError.invalidParameter("give features × scores coefficients and one intercept per score")
        }
        self.nBits = nBits
        c = 1
        maxIterations = 0
        self.coefficients = coefficients
        self.intercepts = intercepts
        classCount = intercepts.count == 1 ? 2 : intercepts.count
    }

    /// Fits the coefficients in floating point.
    /// - Throws: `MLError.invalidData` for bad rows or labels.
    public func fit(_ rows: [[Double]], _ labels: [Int]) throws {
        let features = try TrainingData.featureCount(rows)
        classCount = try TrainingData.classCount(labels, rows: rows.count)
        guard c > 0, c.isFinite else { throw MLError.invalidParameter("c must be positive, got \(c)") }
        let scores = classCount == 2 ? 1 : classCount
        let solution = Solvers.lbfgs(start: [Double](repeating: 0, count: (features + 1) * scores), iterations: maxIterations) {
            LogisticLoss.valueAndGradient($0, rows: rows, labels: labels, scores: scores, c: c)
        }
        coefficients = (0..<features).map { j in Array(solution[(j * scores)..<((j + 1) * scores)]) }
        intercepts = Array(solution[(features * scores)...])
        compiledModel = nil
    }

    public func floatProbabilities(_ rows: [[Double]]) throws -> [[Double]] {
        guard !coefficients.isEmpty else { throw MLError.notReady("fit the model first: model.fit(rows, labels)") }
        let postProcessing: OutputDecoding.PostProcessing = intercepts.count == 1 ? .sigmoid : .softmax
        return rows.map { row in
            postProcessing.apply(intercepts.indices.map { k in zip(row, coefficients).reduce(intercepts[k]) { $0 + $1.0 * $1.1[k] } })
        }
    }

    public func compile(_ rows: [[Double]], configuration: Configuration) throws {
        guard !coefficients.isEmpty else { throw MLError.notReady("fit the model first: model.fit(rows, labels)") }
        let model = try QuantizedLinear.integerModel(weights: coefficients, biases: intercepts, bits: nBits, calibration: rows,
                                                     postProcessing: intercepts.count == 1 ? .sigmoid : .softmax)
        compiledModel = try CompiledModel(model, calibration: rows, configuration: configuration)
    }
}

/// The penalised logistic loss and its gradient over parameters laid out as W (features × scores,
/// row-major) then the intercepts.
enum LogisticLoss {
    static func valueAndGradient(_ parameters: [Double], rows: [[Double]], labels: [Int], scores: Int,
                                 c: Double) -> (value: Double, gradient: [Double]) {
        let features = rows[0].count, interceptStart = features * scores
        var value = 0.0, gradient = [Double](repeating: 0, count: parameters.count)
        for j in 0..<interceptStart {
            value += 0.5 * parameters[j] * parameters[j]
            gradient[j] = parameters[j]
        }
        for (row, label) in zip(rows, labels) {
            var z = Array(parameters[interceptStart...])
            for j in 0..<features where row[j] != 0 {
                for k in 0..<scores { z[k] += row[j] * parameters[j * scores + k] }
            }
            // residual_k = ∂loss/∂z_k
            var residual = [Double](repeating: 0, count: scores)
            if scores == 1 {
                let sign = label == 1 ? 1.0 : -1.0, margin = sign * z[0]
                value += c * (margin > 0 ? log1p(exp(-margin)) : -margin + log1p(exp(margin)))
                residual[0] = -sign / (1 + exp(margin))
            } else {
                let top = z.max()!, exponentials = z.map { exp($0 - top) }, total = exponentials.reduce(0, +)
                value += c * (log(total) + top - z[label])
                for k in 0..<scores { residual[k] = exponentials[k] / total - (k == label ? 1 : 0) }
            }
            for k in 0..<scores {
                let r = c * residual[k]
                gradient[interceptStart + k] += r
                for j in 0..<features where row[j] != 0 { gradient[j * scores + k] += r * row[j] }
            }
        }
        return (value, gradient)
    }
}
