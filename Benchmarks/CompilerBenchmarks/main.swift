// CompilerBenchmarks: compile and simulate times of FHECompiler, with google/swift-benchmark.
// Run with `make bench`. Figures are in Benchmarks/README.md.
import Benchmark
import FHECompiler

let design = Compiler(["x": .encrypted, "y": .clear]) { args in (args[0] * args[0] + args[1]) % 13 }
let designInputset: [[Tensor]] = [[3, 1], [15, 2], [0, 0]]
let tensor = Compiler(["x": .encrypted]) { (($0[0] * $0[0]) % 13).sum() }
let tensorInputset = (0..<16).map { i in [Tensor((0..<64).map { ($0 + i) % 16 }, shape: [64])] }
let oneLookup = try Compiler(["x": .encrypted]) { ($0[0] * $0[0]) % 13 }.compileProgram(inputset: [[0], [15]])
let seven: Tensor = 7
let matmulWeights = Tensor((0..<(256 * 64)).map { $0 % 7 + 1 }, shape: [256, 64])

benchmark("compile the DESIGN.md example ((x·x + y) % 13, 8-bit lookup)") {
    _ = try design.compileProgram(inputset: designInputset)
}

benchmark("compile a 64-element tensor program (sum of (x·x) % 13, 4-bit lookups)") {
    _ = try tensor.compileProgram(inputset: tensorInputset)
}

benchmark("simulate a one-lookup circuit") {
    _ = try oneLookup.simulate(seven)
}

// The linear maps a server builds once per artifact: by index arithmetic, linear in their terms
// (the basis-tensor derivation they replace took 6–7 s for 65536 elements, and O(n²)).
benchmark("linear map of a 1024 × 1024 transpose (2^20 terms)") {
    _ = LinearMap(.transpose, inputShape: [1024, 1024], outputShape: [1024, 1024])
}

benchmark("linear map of a [64, 256] × [256, 64] matmul (2^20 terms)") {
    _ = LinearMap(.matmul(matmulWeights), inputShape: [64, 256], outputShape: [64, 64])
}

Benchmark.main()
