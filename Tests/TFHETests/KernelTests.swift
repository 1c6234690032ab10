import CTFHE
import Foundation
import Testing
import TestSupport
@testable import TFHE

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
        let errors = zip(phase, plaintext).map { NoiseStatistics.torusError($0, $1) }
        let measured = NoiseStatistics.standardDeviation(errors)
        #expect(measured > std / 1.2 && measured < std * 1.2, "noise std \(measured), expected \(std)")
    }
}

/// GLWE and GGSW fixtures under a random binary key, for the external product and CMux tests.
private struct GLWEFixture {
    let glweDimension = 2, size = 1024, baseLog = 23, levels = 1
    let key: [UInt64]
    var masks: OpaquePointer?, noise: OpaquePointer?
    let noiseStd = exp2(-50.0)

    init() {
        var generator = TestGenerator(seed: 99)
        key = (0..<(glweDimension * size)).map { _ in generator.next() & 1 }
        var seed = [UInt8](repeating: 5, count: 16)
        _ = ctfhe_csprng_create(&masks, &seed, 0)
        _ = ctfhe_csprng_create(&noise, &seed, 1)
    }

    func release() { ctfhe_csprng_destroy(masks); ctfhe_csprng_destroy(noise) }

    func encrypt(_ plaintext: [UInt64]) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: (glweDimension + 1) * size)
        _ = ctfhe_glwe_encrypt(&out, key, glweDimension, size, plaintext, noiseStd, masks, noise)
        return out
    }

    func ggsw(_ message: Int64) -> UnsafeMutablePointer<Double> {
        let buffer = ctfhe_fft_buffer_create(ctfhe_ggsw_fourier_double_count(glweDimension, size, levels))!
        _ = ctfhe_ggsw_encrypt_fourier(buffer, key, glweDimension, size, baseLog, levels, message, noiseStd, masks, noise)
        return buffer
    }

    func phase(_ ciphertext: [UInt64]) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: size)
        _ = ctfhe_glwe_phase(&out, ciphertext, key, glweDimension, size)
        return out
    }
}

@Suite("External product, CMux and sample extraction")
struct ExternalProductTests {
    @Test("GGSW(m) ⊡ GLWE(μ) decrypts to m·μ; CMux selects by the GGSW bit")
    func externalProductAndCMux() {
        let fixture = GLWEFixture()
        defer { fixture.release() }
        let delta = UInt64(1) << 59
        let first = (0..<fixture.size).map { UInt64($0 % 16) &* delta }
        let second = (0..<fixture.size).map { UInt64(($0 * 3 + 1) % 16) &* delta }
        let c0 = fixture.encrypt(first), c1 = fixture.encrypt(second)
        func decoded(_ ciphertext: [UInt64]) -> [UInt64] {
            fixture.phase(ciphertext).map { phase -> UInt64 in ((phase >> 58) &+ 1) >> 1 & 15 }
        }

        let three = fixture.ggsw(3)
        defer { ctfhe_fft_buffer_destroy(three) }
        var product = [UInt64](repeating: 0, count: c0.count)
        #expect(ctfhe_external_product(&product, three, c0, 2, 1024, 23, 1) == CTFHE_OK)
        let expected: [UInt64] = (0..<fixture.size).map { UInt64(($0 % 16) * 3 % 16) }
        #expect(decoded(product) == expected)

        for bit in [Int64(0), 1] {
            let selector = fixture.ggsw(bit)
            defer { ctfhe_fft_buffer_destroy(selector) }
            var selected = [UInt64](repeating: 0, count: c0.count)
            #expect(ctfhe_cmux(&selected, selector, c0, c1, 2, 1024, 23, 1) == CTFHE_OK)
            #expect(decoded(selected) == decoded(bit == 0 ? c0 : c1))
        }
    }

    @Test("sample extraction gives an LWE ciphertext of coefficient 0 under the flattened key")
    func sampleExtraction() {
        let fixture = GLWEFixture()
        defer { fixture.release() }
        var generator = TestGenerator(seed: 4)
        let plaintext = (0..<fixture.size).map { _ in generator.next() }
        let ciphertext = fixture.encrypt(plaintext)
        var extracted = [UInt64](repeating: 0, count: fixture.glweDimension * fixture.size + 1)
        ctfhe_sample_extract(&extracted, ciphertext, fixture.glweDimension, fixture.size)
        let lwePhase = ctfhe_lwe_phase(extracted, fixture.key, fixture.glweDimension * fixture.size)
        #expect(lwePhase == fixture.phase(ciphertext)[0])
    }

    @Test("modulus switching rounds to the nearest multiple of q/2N")
    func modulusSwitch() {
        let values: [UInt64] = [0, 1 << 52, (1 << 52) - 1, 3 << 52, UInt64.max, 1 << 63]
        var switched = [UInt64](repeating: 0, count: values.count)
        ctfhe_modulus_switch(&switched, values, values.count, 1024)   // 2N = 2^11: one step is 2^53
        #expect(switched == [0, 1, 0, 2, 0, 1024])
    }
}
