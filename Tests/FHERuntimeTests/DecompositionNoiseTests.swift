@testable import FHECompiler
@testable import FHEDeployment
import FHEOptimizer
import FHEParameters
import FHEProgram
import Foundation
import Testing
@testable import TFHE

/// The noise of the chunks a `decompose` instruction writes, measured against the model the
/// optimizer's constraints use (`Decomposition.noise`): a lower chunk is the sum of its steps'
/// PBS outputs, written at the value's scale and brought to the chunk's by 2^shift, so its
/// variance is (PBS of its steps) · 4^shift · V_pbs; the top chunk is one lookup, V_pbs.
/// 256 samples per chunk: the ±25 % band on a standard deviation is 5.7 standard errors wide
/// (as in NoiseTests).
@Suite("Noise of a decomposition against the model")
struct DecompositionNoiseTests {
    static let uint12 = IntegerType(isSigned: false, width: 12)

    @Test("chunks of a uint12 value: measured noise within 25 % of the model, every chunk right",
          arguments: [(6, 2), (8, 4)])   // (chunk type width, bits per step): shifts 6 and 2, then 4 and 0
    func chunks(chunkWidth: Int, bitsPerStep: Int) throws {
        let decomposition = Decomposition(chunkBits: 4, chunkCount: 3)
        let chunkType = IntegerType(isSigned: false, width: chunkWidth)
        // The parameters the optimizer picks for the model's constraints on a fresh input.
        let model = decomposition.noise(bitsPerStep: bitsPerStep, input: NoiseWeights(bootstrapped: 0, fresh: 1),
                                        inputType: Self.uint12, chunkType: chunkType)
        let parameters = try Optimizer.optimize(constraints: model.constraints + [model.chunks.constraint(bits: chunkWidth, kind: .decryption)])
            .parameters
        let program = Program(registers: [Program.Register(shape: [], isEncrypted: true), Program.Register(shape: [3], isEncrypted: true)],
                              instructions: [.argument(0, index: 0), .decompose(1, 0, chunkBits: 4, bitsPerStep: bitsPerStep)],
                              arguments: [0], result: 1)
        let types: [IntegerType?] = [Self.uint12, chunkType]
        try program.validate(registerTypes: types)
        let secretKeys = SecretKeys(parameters: parameters)
        let runner = try ProgramRunner(program: program, registerTypes: types, serverKey: try ServerKey(secretKeys: secretKeys),
                                       circuitKey: nil)

        let values = (0..<256).map { Int64(($0 * 1597 + 11) % 4096) }
        var errors = [[Double]](repeating: [], count: decomposition.chunkCount)
        for value in values {
            let argument = try LWECiphertextList([try secretKeys.bigLWEKey.encrypt(plaintext: Self.uint12.plaintext(value),
                                                                                    noiseStd: parameters.glweNoiseStd)],
                                                 dimension: parameters.bigLWEDimension)
            guard case let .encrypted(_, chunks) = try runner.run([.encrypted(shape: [], ciphertexts: argument)], threads: 1) else {
                Issue.record("no encrypted chunks")
                return
            }
            for (j, expected) in decomposition.chunks(of: value).enumerated() {
                let phase = try secretKeys.bigLWEKey.phase(of: chunks[j])
                #expect(chunkType.decode(chunkType.encoding(ofPhase: phase)) == expected, "chunk \(j) of \(value)")
                errors[j].append(NoiseStatistics.torusError(phase, chunkType.plaintext(expected)))
            }
        }
        let bootstrap = NoiseModel.bootstrapVariance(parameters)
        for j in 0..<decomposition.chunkCount {
            let predicted: Double
            if j == decomposition.chunkCount - 1 {
                predicted = bootstrap.squareRoot()
            } else {
                let shift = Double(Self.uint12.width - j * decomposition.chunkBits - chunkWidth)
                let count = decomposition.steps(ofChunk: j, bitsPerStep: bitsPerStep).map(\.bootstrapCount).reduce(0, +)
                predicted = (Double(count) * exp2(2 * shift) * bootstrap).squareRoot()
            }
            let measured = NoiseStatistics.standardDeviation(errors[j])
            #expect(measured / predicted > 0.75 && measured / predicted < 1.25,
                    "chunk \(j): measured 2^\(log2(measured)), predicted 2^\(log2(predicted))")
        }
    }
}
