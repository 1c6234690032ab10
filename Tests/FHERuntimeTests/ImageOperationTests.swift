import FHECompiler
import FHERuntime
import Foundation
import Testing
import TestSupport

/// Convolutions, pooling, padding and permutations (levelled linear maps of their terms; max
/// pooling adds a lookup per comparison) against direct loops in plain Swift, simulated and in FHE.
@Suite("Image operations")
struct ImageOperationTests {
    /// Element (c, y, x) of a [channels, height, width] image, 0 outside it.
    static func pixel(_ image: [Int64], _ shape: [Int], _ c: Int, _ y: Int, _ x: Int) -> Int64? {
        (0..<shape[1]).contains(y) && (0..<shape[2]).contains(x) ? image[(c * shape[1] + y) * shape[2] + x] : nil
    }

    /// The direct convolution: weights [outputs, channels / groups, kh, kw].
    static func convolution(_ image: [Int64], _ shape: [Int], weights: [Int64], weightShape: [Int], strides: [Int], pads: [Int],
                            dilations: [Int], groups: Int) -> [Int64] {
        let (outputs, perGroup, kh, kw) = (weightShape[0], weightShape[1], weightShape[2], weightShape[3])
        let height = (shape[1] + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) / strides[0] + 1
        let width = (shape[2] + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) / strides[1] + 1
        var result = [Int64]()
        for m in 0..<outputs {
            for y in 0..<height {
                for x in 0..<width {
                    var total: Int64 = 0
                    for c in 0..<perGroup {
                        for i in 0..<kh {
                            for j in 0..<kw {
                                let value = pixel(image, shape, m / (outputs / groups) * perGroup + c,
                                                  y * strides[0] - pads[0] + i * dilations[0], x * strides[1] - pads[1] + j * dilations[1])
                                total += (value ?? 0) * weights[((m * perGroup + c) * kh + i) * kw + j]
                            }
                        }
                    }
                    result.append(total)
                }
            }
        }
        return result
    }

    /// Direct pooling of every k × k window (stride k, no padding) by `combine`.
    static func pool(_ image: [Int64], _ shape: [Int], kernel: Int, pads: [Int] = [0, 0, 0, 0],
                     _ combine: ([Int64]) -> Int64) -> [Int64] {
        let height = (shape[1] + pads[0] + pads[2] - kernel) / kernel + 1, width = (shape[2] + pads[1] + pads[3] - kernel) / kernel + 1
        return (0..<shape[0]).flatMap { c in (0..<height).flatMap { y in (0..<width).map { x in
            combine((0..<kernel).flatMap { i in (0..<kernel).compactMap { j in pixel(image, shape, c, y * kernel - pads[0] + i, x * kernel - pads[1] + j) } })
        } } }
    }

    @Test("conv2d with groups, strides, pads and dilations; sum and max pooling; padding; transposes; gathers")
    func imageOperations() throws {
        let shape = [2, 4, 4]
        let weights: [Int64] = [1, -1, 2, 0, 1, 1, -2, 1, 0, 3, 1, -1, 2, 1, 0, -1, 1, 2]   // [2, 1, 3, 3]: 2 groups
        let dense: [Int64] = [1, 0, -1, 2, 1, 1, 0, -1]   // [2, 2, 1, 2] (one group)
        let compiler = Compiler(["x": .encrypted]) { args in
            let x = args[0].reshaped(shape)
            let grouped = x.conv2d(weights: Tensor(int64: weights, shape: [2, 1, 3, 3]), bias: [3, -2], strides: [2, 1], pads: [1, 1, 1, 0],
                                   groups: 2)
            let dilated = x.conv2d(weights: Tensor(int64: dense, shape: [2, 2, 1, 2]), dilations: [1, 2])
            let summed = x.sumPool2d(kernel: [2, 2])
            let maxima = x.maxPool2d(kernel: [2, 2], pads: [1, 1, 0, 0])   // windows at the border read 1 or 2 of 4 pixels
            let padded = x.padded([0, 1, 0, 0, 0, 1]).transposed(axes: [2, 0, 1])
            let gathered = x.gathered([15, nil, 0, 31], shape: [4])
            return concatenate([grouped.reshaped([12]), dilated.reshaped([16]), summed.reshaped([8]), maxima.reshaped([8]),
                                padded.reshaped([50]), gathered])
        }
        func direct(_ image: [Int64]) -> Tensor {
            let grouped = zip(Self.convolution(image, shape, weights: weights, weightShape: [2, 1, 3, 3], strides: [2, 1], pads: [1, 1, 1, 0],
                                               dilations: [1, 1], groups: 2), [Int64](repeating: 3, count: 6) + [Int64](repeating: -2, count: 6)).map(+)
            let dilated = Self.convolution(image, shape, weights: dense, weightShape: [2, 2, 1, 2], strides: [1, 1], pads: [0, 0, 0, 0],
                                           dilations: [1, 2], groups: 1)
            let summed = Self.pool(image, shape, kernel: 2) { $0.reduce(0, +) }
            let maxima = Self.pool(image, shape, kernel: 2, pads: [1, 1, 0, 0]) { $0.max()! }
            // Padded to [2, 5, 5] (one row before, one column after), then axes (2, 0, 1): [5, 2, 5].
            var padded = [Int64]()
            for x in 0..<5 { for c in 0..<2 { for y in 0..<5 { padded.append(Self.pixel(image, shape, c, y - 1, x) ?? 0) } } }
            return Tensor(int64: grouped + dilated + summed + maxima + padded + [image[15], 0, image[0], image[31]],
                          shape: [grouped.count + dilated.count + summed.count + maxima.count + padded.count + 4])
        }
        var generator = TestGenerator(seed: 3)
        let images = (0..<12).map { _ in (0..<32).map { _ in Int64.random(in: 0...3, using: &generator) } }
        let inputset = images.map { [Tensor(int64: $0, shape: [32])] }
        let circuit = try compiler.compile(inputset: inputset)
        for image in images { #expect(try circuit.simulate(Tensor(int64: image, shape: [32])) == direct(image)) }
        // 8 windows of 4 positions: 3 comparisons (one lookup each).
        #expect(circuit.statistics.programmableBootstrapCount == 24)
        try circuit.keygen()
        for image in images.prefix(2) { #expect(try circuit.encryptRunDecrypt(Tensor(int64: image, shape: [32])) == direct(image)) }
    }

    @Test("Image operations that do not fit are refused when traced, naming the operation")
    func refused() throws {
        let bad: [(String, (Tracer) -> Tracer)] = [
            ("conv2d", { $0.reshaped([2, 4, 4]).conv2d(weights: Tensor(int64: [Int64](repeating: 1, count: 18), shape: [2, 1, 3, 3])) }),
            ("conv2d", { $0.reshaped([2, 4, 4]).conv2d(weights: Tensor(int64: [Int64](repeating: 1, count: 50), shape: [1, 2, 5, 5])) }),
            ("sum_pool2d", { $0.sumPool2d(kernel: [2, 2]) }),
            ("pad", { $0.padded([1]) }),
            ("transpose", { $0.transposed(axes: [0, 0]) }),
            ("gather", { $0.gathered([40], shape: [1]) }),
        ]
        for (name, function) in bad {
            let compiler = Compiler(["x": .encrypted]) { function($0[0]) }
            #expect(throws: CompilationError.self, "\(name)") { try compiler.trace(inputShapes: [[32]]) }
            do { _ = try compiler.trace(inputShapes: [[32]]) } catch { #expect("\(error)".contains(name), "\(error)") }
        }
    }

    @Test("A forged linear operation (rows, terms or inputs that do not match its shapes) fails validation, before any run")
    func forgedLinearOperations() throws {
        let forged = [
            LinearMap(rowStarts: [0, 1], inputs: [7], weights: [1]),          // reads element 7 of 4
            LinearMap(rowStarts: [0, 2], inputs: [0], weights: [1]),          // the last row ends past the terms
            LinearMap(rowStarts: [0, 1, 0], inputs: [0], weights: [1]),       // rows out of order, one too many
            LinearMap(rowStarts: [0, 1], inputs: [-1], weights: [1]),         // a negative input
            LinearMap(rowStarts: [0, 1], inputs: [0], weights: [1, 2]),       // weights without terms
        ]
        for map in forged {
            let operation = LinearOperation(name: "gather", inputShape: [4], outputShape: [1], map: map)
            #expect(operation.problem != nil)
            let program = Program(registers: [Program.Register(shape: [4], isEncrypted: true), Program.Register(shape: [1], isEncrypted: true)],
                                  instructions: [.argument(0, index: 0), .linear(1, 0, operation)], arguments: [0], result: 1)
            let types = [IntegerType(isSigned: false, width: 4), IntegerType(isSigned: false, width: 4)]
            #expect(throws: (any Error).self) { try program.validate(registerTypes: types) }
        }
    }
}
