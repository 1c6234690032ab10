import CTFHE
import Foundation
import Testing

@Suite("Kernels against plain references")
struct KernelTests {
    /// Random torus polynomials times digits in [−2^10, 2^10): the FFT product stays within
    /// 2^(64 − 30) of the exact one. The f64 FFT error grows like ‖a‖·‖b‖·2^−53: with |a| < 2^63,
    /// |b| < 2^10 and N ≤ 4096 that is about 2^(63 + 10 + 6 − 53) = 2^26, far below the bound.
    @Test("FFT negacyclic product equals the schoolbook product", arguments: [256, 512, 1024, 2048, 4096])
    func fftProduct(size: Int) throws {
        var generator = TestGenerator(seed: UInt64(size))
        let torus = (0..<size).map { _ in generator.next() }
        let digits = (0..<size).map { _ in Int64.random(in: -1024..<1024, using: &generator) }
        var product = [UInt64](repeating: 0, count: size)
        #expect(ctfhe_polynomial_multiply_fft(&product, torus, digits, size) == CTFHE_OK)
        let exact = Reference.negacyclicProduct(torus, digits)
        let worst = zip(product, exact).map { Reference.torusDistance($0, $1) }.max()!
        #expect(worst < exp2(-30), "worst error \(log2(worst)) bits")
    }

    @Test("FFT forward then backward returns the polynomial", arguments: [256, 1024, 16384])
    func fftRoundTrip(size: Int) throws {
        var generator = TestGenerator(seed: 3)
        let polynomial = (0..<size).map { _ in generator.next() }
        let fourier = ctfhe_fft_buffer_create(size)!, scratch = ctfhe_fft_buffer_create(size)!
        defer { ctfhe_fft_buffer_destroy(fourier); ctfhe_fft_buffer_destroy(scratch) }
        var back = [UInt64](repeating: 0, count: size)
        #expect(ctfhe_fft_forward(fourier, polynomial, size, scratch) == CTFHE_OK)
        #expect(ctfhe_fft_backward(&back, fourier, size, scratch) == CTFHE_OK)
        let worst = zip(polynomial, back).map { Reference.torusDistance($0, $1) }.max()!
        #expect(worst < exp2(-40), "worst error \(log2(worst)) bits")
    }

    @Test("FFT rejects sizes that are not powers of two")
    func fftRejectsBadSizes() {
        #expect(ctfhe_fft_prepare(1000) == CTFHE_ERROR_INVALID_ARGUMENT)
        #expect(ctfhe_fft_prepare(1 << 18) == CTFHE_ERROR_INVALID_ARGUMENT)
    }

    @Test("decomposition recomposes to the rounded value, digits in [−B/2, B/2)",
          arguments: [(23, 1), (5, 3), (15, 2), (4, 5), (8, 8), (2, 7), (32, 2)])
    func decomposition(baseLog: Int, levels: Int) {
        var generator = TestGenerator(seed: UInt64(baseLog * 100 + levels))
        let values = (0..<2000).map { _ in generator.next() } + [0, UInt64.max, 1 << 63, (1 << 63) - 1]
        var digits = [Int64](repeating: 0, count: values.count * levels)
        ctfhe_decompose(&digits, values, values.count, baseLog, levels)
        let kept = baseLog * levels
        let half = Int64(1) << (baseLog - 1)
        for (index, value) in values.enumerated() {
            // The closest multiple of q / B^ℓ, computed in 128 bits.
            // The closest multiple of q / B^ℓ (mod q).
            let shift = UInt64(64 - kept)
            let rounded = kept >= 64 ? value : ((value &+ (UInt64(1) << (shift - 1))) >> shift) << shift
            var recomposed: UInt64 = 0
            for level in 0..<levels {
                let digit = digits[index * levels + level]
                #expect(digit >= -half && digit < half)
                recomposed &+= UInt64(bitPattern: digit) &* (UInt64(1) << UInt64(64 - baseLog * (level + 1)))
            }
            #expect(recomposed == rounded, "value \(value)")
        }
    }

    @Test("GLWE encryption: exact mask·key products, phase = plaintext + small noise", arguments: [(2, 1024), (1, 2048), (5, 256)])
    func glwePhase(glweDimension: Int, size: Int) throws {
        var generator = TestGenerator(seed: 11)
        let key = (0..<(glweDimension * size)).map { _ in generator.next() & 1 }
        let plaintext = (0..<size).map { _ in generator.next() }
        var ciphertext = [UInt64](repeating: 0, count: (glweDimension + 1) * size)
        var seed = [UInt8](repeating: 1, count: 16)
        var masks: OpaquePointer?, noise: OpaquePointer?
        #expect(ctfhe_csprng_create(&masks, &seed, 0) == CTFHE_OK)
        #expect(ctfhe_csprng_create(&noise, &seed, 1) == CTFHE_OK)
        defer { ctfhe_csprng_destroy(masks); ctfhe_csprng_destroy(noise) }
        let std = exp2(-40.0)
        #expect(ctfhe_glwe_encrypt(&ciphertext, key, glweDimension, size, plaintext, std, masks, noise) == CTFHE_OK)

        // The body minus the exact schoolbook Σ Aᵢ·Sᵢ is plaintext + noise.
        var body = Array(ciphertext[(glweDimension * size)...])
        for i in 0..<glweDimension {
            let mask = Array(ciphertext[(i * size)..<((i + 1) * size)])
            let keyPolynomial = key[(i * size)..<((i + 1) * size)].map { Int64($0) }
            for (j, term) in Reference.negacyclicProduct(mask, keyPolynomial).enumerated() { body[j] &-= term }
        }
        var phase = [UInt64](repeating: 0, count: size)
        #expect(ctfhe_glwe_phase(&phase, ciphertext, key, glweDimension, size) == CTFHE_OK)
        #expect(phase == body)
        let errors = zip(phase, plaintext).map { Reference.torusError($0, $1) }
        let measured = Reference.standardDeviation(errors)
        #expect(measured > std / 1.2 && measured < std * 1.2, "noise std \(measured), expected \(std)")
    }
}
