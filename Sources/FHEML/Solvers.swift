import Foundation

/// The numerics of training: a Cholesky solve for least squares and L-BFGS for smooth convex
/// losses. Plain Swift, deterministic.
enum Solvers {
    /// Solves A·x = b for a symmetric positive definite A (n × n, row-major) by Cholesky.
    /// - Throws: `MLError.invalidData` when A is not positive definite (collinear features
    ///   without regularisation).
    static func choleskySolve(_ a: [Double], _ b: [Double], size n: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 1e-12 * max(1, abs(a[i * n + i])) else {
                        throw MLError.invalidData("the features are collinear: add regularisation (alpha > 0) or drop a feature")
                    }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(n, i + 1) { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }

    /// Minimises a smooth convex function by L-BFGS (memory `history`) with a backtracking
    /// (Armijo) line search, from `start`, until the gradient's largest entry is below
    /// `tolerance` or `iterations` pass.
    /// - Parameter objective: the value and the gradient at a point.
    static func lbfgs(start: [Double], iterations: Int = 500, tolerance: Double = 1e-6, history: Int = 10,
                      objective: ([Double]) -> (value: Double, gradient: [Double])) -> [Double] {
        var x = start
        var (value, gradient) = objective(x)
        var steps = [[Double]](), changes = [[Double]]()
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        for _ in 0..<iterations {
            guard gradient.map(abs).max() ?? 0 > tolerance else { break }
            // The two-loop recursion: direction = −H·gradient.
            var q = gradient, alphas = [Double]()
            for (s, y) in zip(steps, changes).reversed() {
                let alpha = dot(s, q) / dot(y, s)
                alphas.append(alpha)
                for i in q.indices { q[i] -= alpha * y[i] }
            }
            if let s = steps.last, let y = changes.last {
                let gamma = dot(s, y) / dot(y, y)
                for i in q.indices { q[i] *= gamma }
            }
            for ((s, y), alpha) in zip(zip(steps, changes), alphas.reversed()) {
                let beta = dot(y, q) / dot(y, s)
                for i in q.indices { q[i] += (alpha - beta) * s[i] }
            }
            var direction = q.map { -$0 }
            var slope = dot(direction, gradient)
            if slope >= 0 { direction = gradient.map { -$0 }; slope = -dot(gradient, gradient); steps = []; changes = [] }
            var step = 1.0, candidate = x, next = (value: value, gradient: gradient)
            while step > 1e-20 {
                candidate = zip(x, direction).map { $0 + step * $1 }
                next = objective(candidate)
                if next.value <= value + 1e-4 * step * slope { break }
                step /= 2
            }
            guard step > 1e-20 else { break }
            let s = zip(candidate, x).map { $0 - $1 }, y = zip(next.gradient, gradient).map { $0 - $1 }
            if dot(s, y) > 1e-12 {
                steps.append(s)
                changes.append(y)
                if steps.count > history { steps.removeFirst(); changes.removeFirst() }
            }
            (x, value, gradient) = (candidate, next.value, next.gradient)
        }
        return x
    }
}
