// TFHEBenchmarks: the kernels and the KS + PBS of swift-fhe, with google/swift-benchmark.
// Run with `make bench` (release mode). Figures and the machine are in Benchmarks/README.md.
import Benchmark
import CTFHE
import FHEParameters
import TFHE

/// Keys and inputs for one parameter set, made once.
struct Fixture: Sendable {
    let secretKeys: SecretKeys
    let serverKey: ServerKey
    let testPolynomial: TestPolynomial
    let inputs: [LWECiphertext]

    init(_ parameters: ParameterSet, count: Int = 64) throws {
        secretKeys = SecretKeys(parameters: parameters)
        serverKey = try ServerKey(secretKeys: secretKeys)
        let encoding = try MessageEncoding(bits: 4)
        testPolynomial = try serverKey.testPolynomial(for: PBSTable(inputBits: 4) { ($0 * $0) % 13 })
        inputs = try secretKeys.encrypt((0..<count).map { $0 % 16 }, encoding: encoding)
    }
}

let concrete = try Fixture(.concrete4Bit)
let tfheRS = try Fixture(.tfheRS2_2, count: 1)

func randomWords(_ count: Int) -> [UInt64] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in generator.next() }
}

// Setup stays outside the closures: swift-benchmark times only `state.measure`, but runs the
// whole closure once per iteration.
for size in [1024, 2048, 4096] {
    let polynomial = randomWords(size)
    let fourier = ctfhe_fft_buffer_create(size)!, scratch = ctfhe_fft_buffer_create(size)!
    var result = [UInt64](repeating: 0, count: size)
    benchmark("FFT forward + inverse, N = \(size)") { state in
        try state.measure {
            _ = ctfhe_fft_forward(fourier, polynomial, size, scratch)
            _ = ctfhe_fft_backward(&result, fourier, size, scratch)
        }
    }
}

do {
    let (k, size, baseLog, levels) = (2, 1024, 23, 1)
    let key = (0..<(k * size)).map { UInt64($0 & 1) }
    let ggsw = ctfhe_fft_buffer_create(ctfhe_ggsw_fourier_double_count(k, size, levels))!
    var seed = [UInt8](repeating: 7, count: 16)
    var masks: OpaquePointer?, noise: OpaquePointer?
    _ = ctfhe_csprng_create(&masks, &seed, 0)
    _ = ctfhe_csprng_create(&noise, &seed, 1)
    _ = ctfhe_ggsw_encrypt_fourier(ggsw, key, k, size, baseLog, levels, 1, 1e-15, masks, noise)
    let glwe = randomWords((k + 1) * size)
    var out = [UInt64](repeating: 0, count: (k + 1) * size)
    benchmark("external product, k = 2, N = 1024, ℓ = 1 (concrete-4bit)") { state in
        try state.measure { _ = ctfhe_external_product(&out, ggsw, glwe, k, size, baseLog, levels) }
    }
}

benchmark("keyswitch, concrete-4bit") { state in
    let input = [concrete.inputs[0]]
    try state.measure { _ = try! concrete.serverKey.keyswitch(input, threads: 1) }
}

benchmark("KS + PBS, concrete-4bit, 1 thread") { state in
    try state.measure { _ = try! concrete.serverKey.applyLookupTable(concrete.inputs[0], concrete.testPolynomial) }
}

benchmark("KS + PBS, tfhe-rs-2_2, 1 thread") { state in
    try state.measure { _ = try! tfheRS.serverKey.applyLookupTable(tfheRS.inputs[0], tfheRS.testPolynomial) }
}

// Batches at 1 and 2 threads: the 2-thread throughput is the ratio of a pair's times.
for batch in [2, 8, 16, 64] {
    let inputs = Array(concrete.inputs.prefix(batch))
    for threads in [1, 2] {
        benchmark("KS + PBS batch of \(batch), concrete-4bit, \(threads) thread\(threads == 1 ? "" : "s") (time per batch)",
                  settings: Iterations(batch >= 16 ? 5 : 20)) { state in
            try state.measure {
                _ = try! concrete.serverKey.applyLookupTable(inputs, concrete.testPolynomial, threads: threads)
            }
        }
    }
}

/// A 12-bit lookup without padding (WoP-PBS) at the parameters of WideLookupTests, with its
/// keys: made on first use (a static let), so that runs filtered to other benchmarks skip them.
struct WideLookupFixture: Sendable {
    let serverKey: ServerKey
    let circuitKeys: [CircuitBootstrapKey]
    let table: [UInt64]
    let input: LWECiphertextList

    /// Circuit bootstrapping at β=6 ℓ=3 (outputs of up to 6 bits within a failure of 1e-5 by
    /// NoiseModel.wideLookupVariance) and β=8 ℓ=2 (up to 4 bits, a third fewer PBS).
    static let decompositions = [(6, 3), (8, 2)]
    static let shared: WideLookupFixture = {
        let parameters = try! ParameterSet(lweDimension: 866, glweDimension: 1, polynomialSize: 2048,
                                           pbsBaseLog: 15, pbsLevelCount: 2, ksBaseLog: 3, ksLevelCount: 5,
                                           lweNoiseStd: 2.0462e-6, glweNoiseStd: 2.8453e-15)
        let secretKeys = SecretKeys(parameters: parameters)
        let fixture = WideLookupFixture(
            serverKey: try! ServerKey(secretKeys: secretKeys),
            circuitKeys: decompositions.map { baseLog, levels in
                try! CircuitBootstrapKey(secretKeys: secretKeys, wide: try! WideLookupParameters(
                    circuitBaseLog: baseLog, circuitLevels: levels, packingBaseLog: 15, packingLevels: 2))
            },
            table: (0..<4096).map { UInt64(($0 * $0) % 16) << 59 },
            input: try! LWECiphertextList([try! secretKeys.bigLWEKey.encrypt(plaintext: 3000 << 51, noiseStd: parameters.glweNoiseStd)],
                                          dimension: parameters.bigLWEDimension))
        print("WoP-PBS keys: packing keyswitch \(fixture.circuitKeys[0].byteCount) B, bootstrapping "
              + "\(fixture.serverKey.bootstrapKey.byteCount) B, keyswitching \(fixture.serverKey.keyswitchKey.byteCount) B")
        return fixture
    }()
}

for (index, (baseLog, levels)) in WideLookupFixture.decompositions.enumerated() {
    for threads in [1, 2] {
        benchmark("WoP-PBS 12-bit lookup, k = 1, N = 2048, circuit bootstrapping β=\(baseLog) ℓ=\(levels), \(threads) thread\(threads == 1 ? "" : "s")",
                  settings: Iterations(5)) { state in
            let fixture = WideLookupFixture.shared   // keys made before timing
            try state.measure {
                _ = try! fixture.serverKey.wideLookup(fixture.input, bits: 12, table: fixture.table, circuitKey: fixture.circuitKeys[index],
                                                      threads: threads)
            }
        }
    }
}

for (name, parameters) in [("concrete-4bit", ParameterSet.concrete4Bit), ("tfhe-rs-2_2", ParameterSet.tfheRS2_2)] {
    for threads in [1, 2] {
        benchmark("keygen (secret, bootstrapping and keyswitching keys), \(name), \(threads) thread\(threads == 1 ? "" : "s")",
                  settings: Iterations(5)) { state in
            try state.measure {
                let secretKeys = SecretKeys(parameters: parameters)
                _ = try! ServerKey(secretKeys: secretKeys, threads: threads)
            }
        }
    }
}

Benchmark.main()
