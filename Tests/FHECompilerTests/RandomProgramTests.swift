import FHECompiler
import Foundation
import Testing
import TestSupport

/// Random small programs: traced, compiled and simulated against direct Swift evaluation.
@Suite("Random programs")
struct RandomProgramTests {
    indirect enum Expression {
        case x, y, constant(Int)
        case add(Expression, Expression), subtract(Expression, Expression), scale(Expression, Int)
        case remainder(Expression, Int), divide(Expression, Int), relu(Expression), absolute(Expression)
        case less(Expression, Expression), minimum(Expression, Expression), square(Expression)
        case wave(Expression)   // (3·sin(e) + 3).rounded().toInt()

        func traced(_ x: Tracer, _ y: Tracer) -> Tracer {
            switch self {
            case .x: x
            case .y: y
            case let .constant(c): x * 0 + c
            case let .add(a, b): a.traced(x, y) + b.traced(x, y)
            case let .subtract(a, b): a.traced(x, y) - b.traced(x, y)
            case let .scale(a, c): a.traced(x, y) * c
            case let .remainder(a, c): a.traced(x, y) % c
            case let .divide(a, c): a.traced(x, y) / c
            case let .relu(a): FHECompiler.relu(a.traced(x, y))
            case let .absolute(a): abs(a.traced(x, y))
            case let .less(a, b): a.traced(x, y) < b.traced(x, y)
            case let .minimum(a, b): FHECompiler.minimum(a.traced(x, y), b.traced(x, y))
            case let .square(a): a.traced(x, y) * a.traced(x, y)
            case let .wave(a): (3 * sin(a.traced(x, y)) + 3).rounded().toInt()
            }
        }

        func direct(_ x: Int, _ y: Int) -> Int {
            switch self {
            case .x: return x
            case .y: return y
            case let .constant(c): return c
            case let .add(a, b): return a.direct(x, y) + b.direct(x, y)
            case let .subtract(a, b): return a.direct(x, y) - b.direct(x, y)
            case let .scale(a, c): return a.direct(x, y) * c
            case let .remainder(a, c): return floorRemainder(a.direct(x, y), c)
            case let .divide(a, c): return floorDivide(a.direct(x, y), c)
            case let .relu(a): return max(a.direct(x, y), 0)
            case let .absolute(a): return Swift.abs(a.direct(x, y))
            case let .less(a, b): return a.direct(x, y) < b.direct(x, y) ? 1 : 0
            case let .minimum(a, b): return min(a.direct(x, y), b.direct(x, y))
            case let .square(a): let v = a.direct(x, y); return v * v
            case let .wave(a): return Int((3 * Foundation.sin(Double(a.direct(x, y))) + 3).rounded(.toNearestOrEven))
            }
        }

        static func random(depth: Int, using generator: inout TestGenerator) -> Expression {
            if depth == 0 {
                switch Int.random(in: 0..<5, using: &generator) {
                case 0, 1: return .x
                case 2, 3: return .y
                default: return .constant(Int.random(in: -3...3, using: &generator))
                }
            }
            func sub() -> Expression { random(depth: depth - 1, using: &generator) }
            let c = Int.random(in: 2...5, using: &generator)
            switch Int.random(in: 0..<12, using: &generator) {
            case 0: return .add(sub(), sub())
            case 1: return .subtract(sub(), sub())
            case 2: return .scale(sub(), c - 3)
            case 3: return .remainder(sub(), c)
            case 4: return .divide(sub(), c)
            case 5: return .relu(sub())
            case 6: return .absolute(sub())
            case 7: return .less(sub(), sub())
            case 8: return .minimum(sub(), sub())
            case 9: return .square(sub())
            case 10: return .wave(sub())
            default: return sub()
            }
        }
    }

    @Test("200 random programs: simulate equals direct evaluation")
    func randomPrograms() throws {
        var generator = TestGenerator(seed: 2026)
        var compiled = 0
        for _ in 0..<200 {
            let expression = Expression.random(depth: 3, using: &generator)
            let inputset = (0..<8).map { i in [Tensor(i), Tensor((i * 3) % 8)] }
            let compiler = Compiler(["x": .encrypted, "y": .encrypted]) { expression.traced($0[0], $0[1]) }
            guard let program = try? compiler.compileProgram(inputset: inputset) else { continue }   // e.g. > 8-bit lookups
            compiled += 1
            for sample in inputset {
                let (x, y) = (Int(sample[0].scalar), Int(sample[1].scalar))
                #expect(try program.simulate(arguments: sample) == Tensor(expression.direct(x, y)), "\(expression) at \(x), \(y)")
            }
        }
        #expect(compiled > 150, "only \(compiled) of 200 random programs compiled")
    }
}
