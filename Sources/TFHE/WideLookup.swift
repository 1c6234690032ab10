internal import CTFHE
import FHEParameters

/// The k + 1 private functional packing keyswitch keys of circuit bootstrapping, from the big
/// LWE key (dimension kN) to the GLWE key, one per GGSW component: evaluation material, like the
/// bootstrapping key.
public final class CircuitBootstrapKey: @unchecked Sendable {
    // Immutable after init: safe to share between threads.
    let components: [UnsafeMutableBufferPointer<UInt64>]
    /// The parameter set of the server key it goes with.
    public let parameters: ParameterSet
    /// Its decompositions.
    public let wide: WideLookupParameters

    /// The key-generation step of these keys in `KeySeed` (after the four of `ServerKey`).
    static let seedPurpose: UInt64 = 5

    /// Generates the keys for `secretKeys` with masks and noise from `seed` (fresh system seeds
    /// unless a test asks otherwise). Cost: (k + 1)·(kN + 1)·ℓ_pks GLWE encryptions.
    public convenience init(secretKeys: SecretKeys, wide: WideLookupParameters, seed: KeySeed = .fresh) throws {
        let p = secretKeys.parameters
        try self.init(parameters: p, wide: wide) { component, words in
            try seed.withSeeds(purpose: Self.seedPurpose) { masks, noise in
                try checkKernel(ctfhe_packing_key_generate(words, 0, secretKeys.bigLWEKey.storage.words.baseAddress, p.bigLWEDimension,
                                                           secretKeys.glweKey.storage.words.baseAddress, p.glweDimension,
                                                           p.polynomialSize, wide.packingBaseLog, wide.packingLevels, component,
                                                           p.glweNoiseStd, masks, noise), "packing keyswitch key generation")
            }
        }
    }

    /// Keys whose component `c` words `fill` writes.
    init(parameters: ParameterSet, wide: WideLookupParameters,
         fill: (_ component: Int, UnsafeMutablePointer<UInt64>?) throws -> Void) throws {
        try FFTWisdom.prepare(polynomialSize: parameters.polynomialSize)
        let count = ctfhe_packing_key_word_count(parameters.bigLWEDimension, parameters.glweDimension, parameters.polynomialSize,
                                                 wide.packingLevels)
        var made = [UnsafeMutableBufferPointer<UInt64>]()
        do {
            for component in 0...parameters.glweDimension {
                made.append(.allocate(capacity: count))   // uninitialized: every kernel that fills a key writes every word
                try fill(component, made[component].baseAddress)
            }
        } catch {
            made.forEach { $0.deallocate() }
            throw error
        }
        components = made
        self.parameters = parameters
        self.wide = wide
    }

    /// Bytes of the keys in memory.
    public var byteCount: Int { components.map(\.count).reduce(0, +) * MemoryLayout<UInt64>.size }

    deinit { components.forEach { $0.deallocate() } }
}

/// The circuit bootstrapping keys in seeded form, as a client would send them: every mask is
/// regenerated from one public 16-byte seed, so only the bodies travel, 1/(k + 1) of the words.
/// `expanded()` rebuilds exactly the `CircuitBootstrapKey` that the same seeds give.
public struct CompressedCircuitBootstrapKey: Sendable {
    /// The parameter set of the server key it goes with.
    public let parameters: ParameterSet
    /// Its decompositions.
    public let wide: WideLookupParameters
    /// The seed of every mask (16 bytes).
    public let maskSeed: [UInt8]
    /// By component: the body polynomials, input word i and level t at (i·ℓ_pks + t)·N.
    public let bodies: [[UInt64]]

    /// Generates the keys' bodies for `secretKeys` with masks and noise from `seed`.
    public init(secretKeys: SecretKeys, wide: WideLookupParameters, seed: KeySeed = .fresh) throws {
        let p = secretKeys.parameters
        try FFTWisdom.prepare(polynomialSize: p.polynomialSize)
        let count = Self.bodyCount(p, wide)
        (maskSeed, bodies) = try seed.withSeeds(purpose: CircuitBootstrapKey.seedPurpose) { masks, noise in
            let bodies = try (0...p.glweDimension).map { component in
                try [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
                    try checkKernel(ctfhe_packing_key_generate(buffer.baseAddress, 1, secretKeys.bigLWEKey.storage.words.baseAddress,
                                                               p.bigLWEDimension, secretKeys.glweKey.storage.words.baseAddress,
                                                               p.glweDimension, p.polynomialSize, wide.packingBaseLog,
                                                               wide.packingLevels, component, p.glweNoiseStd, masks, noise),
                                    "seeded packing keyswitch key generation")
                    initialized = count
                }
            }
            return (Array(UnsafeBufferPointer(start: masks, count: CompressedServerKey.seedByteCount)), bodies)
        }
        parameters = p
        self.wide = wide
    }

    /// Keys read from elsewhere: checks that the seed and the body counts fit the parameters.
    /// - Throws: `TFHEError.invalidArgument` saying what does not fit.
    public init(parameters: ParameterSet, wide: WideLookupParameters, maskSeed: [UInt8], bodies: [[UInt64]]) throws {
        try CompressedServerKey.checkMaskSeeds(maskSeed)
        let count = Self.bodyCount(parameters, wide)
        guard bodies.count == parameters.glweDimension + 1, bodies.allSatisfy({ $0.count == count }) else {
            throw TFHEError.invalidArgument("the circuit bootstrapping key bodies do not fit \(parameters): expected "
                + "\(parameters.glweDimension + 1) components of \(count) words")
        }
        self.parameters = parameters
        self.wide = wide
        self.maskSeed = maskSeed
        self.bodies = bodies
    }

    /// Words of bodies per component: (kN + 1)·ℓ_pks·N.
    public static func bodyCount(_ p: ParameterSet, _ wide: WideLookupParameters) -> Int {
        (p.bigLWEDimension + 1) * wide.packingLevels * p.polynomialSize
    }

    /// The keys with their masks regenerated.
    public func expanded() throws -> CircuitBootstrapKey {
        try CircuitBootstrapKey(parameters: parameters, wide: wide) { component, words in
            try checkKernel(ctfhe_packing_key_expand(words, bodies[component], parameters.bigLWEDimension, parameters.glweDimension,
                                                     parameters.polynomialSize, wide.packingBaseLog, wide.packingLevels, component,
                                                     maskSeed), "packing keyswitch key expansion")
        }
    }
}

extension ServerKey {
    /// Table lookups of `bits`-bit values (up to 24) whose table need not fit one polynomial
    /// (WoP-PBS): for each ciphertext under the big key whose phase is x·q/2^(bits+1) (x of
    /// `bits` bits, a zero padding bit, as `MessageEncoding` places it), an encryption of
    /// table[x], `table` holding 2^bits torus values.
    ///
    /// Bit extraction and circuit bootstrapping, `wide.bootstrapsPerBit` KS + PBS per bit, lowest
    /// first: the value times 2^(bits−i) has bit i on top, and many-LUT PBS of it give both the
    /// output that clears the bit from the value and the ℓ_cb levels of its GGSW, whose rows
    /// (k + 1)·ℓ_cb packing keyswitches build; then vertical packing.
    public func wideLookup(_ ciphertexts: LWECiphertextList, bits: Int, table: [UInt64], circuitKey: CircuitBootstrapKey,
                           threads: Int? = nil) throws -> LWECiphertextList {
        try wideLookup(ciphertexts, bits: bits, tables: [table], circuitKey: circuitKey, threads: threads)
    }

    /// `wideLookup` with one table per ciphertext, or one `tables[0]` for all.
    public func wideLookup(_ ciphertexts: LWECiphertextList, bits: Int, tables: [[UInt64]], circuitKey: CircuitBootstrapKey,
                           threads: Int? = nil) throws -> LWECiphertextList {
        guard (1...24).contains(bits), tables.allSatisfy({ $0.count == 1 << bits }) else {
            throw TFHEError.invalidArgument("a wide lookup of \(bits) bits needs 1…24 bits and tables of 2^bits entries")
        }
        guard tables.count == 1 || tables.count == ciphertexts.count else {
            throw TFHEError.invalidArgument("a wide lookup of \(ciphertexts.count) ciphertexts needs 1 or \(ciphertexts.count) tables, "
                + "not \(tables.count)")
        }
        guard circuitKey.parameters == parameters, ciphertexts.dimension == parameters.bigLWEDimension else {
            throw TFHEError.invalidArgument("the circuit bootstrapping key or the ciphertexts belong to another parameter set")
        }
        let wide = circuitKey.wide, levels = wide.circuitLevels, count = ciphertexts.count
        guard count > 0 else { return ciphertexts }
        // A PBS of a bit b ∈ {0, 1} on top (phase b·q/2, offset by q/4 to the middle of its half)
        // gives ±v for 2^lutLog values v at once (many-LUT): circuit bootstrapping's level l,
        // b·q/B^(l+1) = v_l − output, and but for the last bit the output whose v − output = b·2v
        // clears the bit from the value; `bootstrapsPerBit` PBS make the ℓ_cb + 1 outputs.
        let clearing = (0..<bits).map { i in UInt64(1) << UInt64(62 - bits + i) }   // half of bit i's weight
        let levelHalves = (0..<levels).map { l in UInt64(1) << UInt64(63 - wide.circuitBaseLog * (l + 1)) }
        let lutLog = wide.lookupsPerBootstrapLog, lookups = 1 << lutLog, groups = wide.bootstrapsPerBit
        let size = parameters.polynomialSize
        let tests = clearing.map { clear in   // by bit: one per group of `lookups` outputs
            let values = levelHalves + [clear] + Array(repeating: 0, count: groups * lookups - levels - 1)
            return (0..<groups).map { g in TestPolynomial(coefficients: (0..<size).map { values[g * lookups + $0 % lookups] }) }
        }

        var values = ciphertexts
        let lweSize = values.lweSize, dimension = values.dimension
        // Lowest bit first: bit i is on top of the value times 2^(bits−i).
        var levelCiphertexts = LWECiphertextList(dimension: dimension, count: 0)   // bit, ciphertext, level
        levelCiphertexts.words.reserveCapacity(bits * count * levels * lweSize)
        for i in 0..<bits {
            var shifted = values.multiplied(by: 1 << (bits - i))
            shifted.add(plaintext: 1 << 62)
            var batch = LWECiphertextList(dimension: dimension, count: 0)   // ciphertext, group
            batch.words.reserveCapacity(count * groups * lweSize)
            for c in 0..<count {
                for _ in 0..<groups { batch.words += shifted.words[(c * lweSize)..<((c + 1) * lweSize)] }
            }
            let outputs = try applyManyLookups(batch, Array([[TestPolynomial]](repeating: tests[i], count: count).joined()),
                                               lutLog: lutLog, threads: threads)   // ciphertext, output
            for c in 0..<count {
                let first = c * groups * lookups
                for l in 0..<levels {
                    let start = (first + l) * lweSize
                    levelCiphertexts.words += outputs.words[start..<(start + lweSize)].map { 0 &- $0 }
                    levelCiphertexts.words[levelCiphertexts.words.count - 1] &+= levelHalves[l]
                }
                guard i < bits - 1 else { continue }
                values.accumulate(c, outputs, first + levels)   // value −= b·2^i·Δ = v − output
                values.words[c * lweSize + dimension] &-= clearing[i]
            }
        }
        return try verticalPacking(levelCiphertexts, count: count, bits: bits, tables: tables, circuitKey: circuitKey, threads: threads)
    }

    /// For each ciphertext: the GGSWs of its bits from their circuit bootstrapping levels
    /// (`levelCiphertexts` ordered bit, ciphertext, level), then the vertical packing of its table.
    private func verticalPacking(_ levelCiphertexts: LWECiphertextList, count: Int, bits: Int, tables: [[UInt64]],
                                 circuitKey: CircuitBootstrapKey, threads: Int?) throws -> LWECiphertextList {
        let p = parameters, wide = circuitKey.wide, levels = wide.circuitLevels, size = levelCiphertexts.lweSize
        let ggswDoubles = ctfhe_ggsw_fourier_double_count(p.glweDimension, p.polynomialSize, levels)
        let ggsws = UnsafeMutableBufferPointer<Double>.allocate(capacity: ggswDoubles * bits)
        defer { ggsws.deallocate() }
        let keys: [UnsafePointer<UInt64>?] = circuitKey.components.map { UnsafePointer($0.baseAddress) }
        let threadCount = Int32(Threading.resolved(threads))
        var output = LWECiphertextList(dimension: p.bigLWEDimension, count: count)
        for c in 0..<count {
            var own = [UInt64]()   // this ciphertext's levels, bit-major
            own.reserveCapacity(bits * levels * size)
            for i in 0..<bits {
                let first = (i * count + c) * levels * size
                own += levelCiphertexts.words[first..<(first + levels * size)]
            }
            try checkKernel(ctfhe_circuit_bootstrap_ggsws(ggsws.baseAddress, own, bits, p.bigLWEDimension, keys, p.glweDimension,
                                                          p.polynomialSize, levels, wide.packingBaseLog, wide.packingLevels,
                                                          threadCount), "circuit bootstrapping")
            try output.words.withUnsafeMutableBufferPointer { out in
                try checkKernel(ctfhe_vertical_packing(out.baseAddress! + c * (p.bigLWEDimension + 1), tables[tables.count == 1 ? 0 : c], bits,
                                                       ggsws.baseAddress, p.glweDimension, p.polynomialSize,
                                                       wide.circuitBaseLog, levels), "vertical packing")
            }
        }
        return output
    }
}
