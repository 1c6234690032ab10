internal import CTFHE
import FHEParameters

/// The decompositions a PBS without padding (WoP-PBS, Bergerat et al., ePrint 2022/704) adds to
/// a parameter set: the GGSWs that circuit bootstrapping makes of each bit (base 2^circuitBaseLog,
/// circuitLevels levels) and the packing keyswitch that builds their rows.
public struct WideLookupParameters: Sendable, Hashable, CustomStringConvertible {
    public let circuitBaseLog: Int
    public let circuitLevels: Int
    public let packingBaseLog: Int
    public let packingLevels: Int

    /// - Throws: `TFHEError.invalidArgument` unless every base and level count is positive and
    ///   each decomposition keeps at most 64 bits.
    public init(circuitBaseLog: Int, circuitLevels: Int, packingBaseLog: Int, packingLevels: Int) throws {
        for (base, levels) in [(circuitBaseLog, circuitLevels), (packingBaseLog, packingLevels)]
        where !(1...63).contains(base) || levels < 1 || base * levels > 64 {
            throw TFHEError.invalidArgument("a decomposition of base 2^\(base) and \(levels) levels is out of range")
        }
        self.circuitBaseLog = circuitBaseLog
        self.circuitLevels = circuitLevels
        self.packingBaseLog = packingBaseLog
        self.packingLevels = packingLevels
    }

    public var description: String {
        "circuit bootstrapping β=\(circuitBaseLog) ℓ=\(circuitLevels), packing keyswitch β=\(packingBaseLog) ℓ=\(packingLevels)"
    }
}

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

    /// Generates the keys for `secretKeys` with fresh system seeds. Cost: (k + 1)·(kN + 1)·ℓ_pks
    /// GLWE encryptions.
    public init(secretKeys: SecretKeys, wide: WideLookupParameters) throws {
        let p = secretKeys.parameters
        try FFTWisdom.prepare(polynomialSize: p.polynomialSize)
        let count = ctfhe_packing_key_word_count(p.bigLWEDimension, p.glweDimension, p.polynomialSize, wide.packingLevels)
        var made = [UnsafeMutableBufferPointer<UInt64>]()
        do {
            for component in 0...p.glweDimension {
                let words = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: count)
                made.append(words)
                let randomness = try EncryptionRandomness()
                try checkKernel(ctfhe_packing_key_generate(words.baseAddress, secretKeys.bigLWEKey.storage.words.baseAddress,
                                                           p.bigLWEDimension, secretKeys.glweKey.storage.words.baseAddress,
                                                           p.glweDimension, p.polynomialSize, wide.packingBaseLog,
                                                           wide.packingLevels, component, p.glweNoiseStd,
                                                           randomness.masks.handle, randomness.noise.handle),
                                "packing keyswitch key generation")
            }
        } catch {
            made.forEach { $0.deallocate() }
            throw error
        }
        components = made
        parameters = p
        self.wide = wide
    }

    /// Bytes of the keys in memory.
    public var byteCount: Int { components.map(\.count).reduce(0, +) * MemoryLayout<UInt64>.size }

    deinit { components.forEach { $0.deallocate() } }
}

extension ServerKey {
    /// Table lookups of `bits`-bit values (up to 24) without a padding bit's limit on the
    /// polynomial: for each ciphertext under the big key whose phase is x·q/2^(bits+1) (x of
    /// `bits` bits, a zero padding bit, as `MessageEncoding` places it), an encryption of
    /// table[x], `table` holding 2^bits torus values.
    ///
    /// Bit extraction (one KS + PBS per bit, lowest first: the value times 2^(bits−i) has bit i
    /// on top, and the PBS's output clears it), circuit bootstrapping of every bit into a GGSW
    /// (ℓ_cb PBS and (k + 1)·ℓ_cb packing keyswitches per bit), then vertical packing.
    public func wideLookup(_ ciphertexts: LWECiphertextList, bits: Int, table: [UInt64], circuitKey: CircuitBootstrapKey,
                           threads: Int? = nil) throws -> LWECiphertextList {
        guard (1...24).contains(bits), table.count == 1 << bits else {
            throw TFHEError.invalidArgument("a wide lookup of \(bits) bits needs 1…24 bits and 2^bits table entries, not \(table.count)")
        }
        guard circuitKey.parameters == parameters, ciphertexts.dimension == parameters.bigLWEDimension else {
            throw TFHEError.invalidArgument("the circuit bootstrapping key or the ciphertexts belong to another parameter set")
        }
        let wide = circuitKey.wide, levels = wide.circuitLevels, count = ciphertexts.count
        // The PBS of a bit b ∈ {0, 1} on top (phase b·q/2, offset by q/8 to the middle of its half)
        // gives ±v; v − output is b·2v. Level l of circuit bootstrapping needs b·q/B^(l+1).
        let clearing = (0..<bits).map { i in UInt64(1) << UInt64(62 - bits + i) }   // half of bit i's weight
        let levelHalves = (0..<levels).map { l in UInt64(1) << UInt64(63 - wide.circuitBaseLog * (l + 1)) }
        let clearingTests = try clearing.map { try testPolynomial(plaintexts: [$0, $0]) }
        let levelTests = try levelHalves.map { try testPolynomial(plaintexts: [$0, $0]) }

        var values = ciphertexts
        let size = values.lweSize, dimension = values.dimension
        var bitLevels = [LWECiphertextList]()   // by bit: count × levels ciphertexts, ciphertext-major
        for i in 0..<bits {
            var shifted = values.multiplied(by: 1 << (bits - i))
            shifted.add(plaintext: 1 << 61)
            let clears = i < bits - 1
            let copies = levels + (clears ? 1 : 0)
            var batch = LWECiphertextList(dimension: dimension, count: 0)
            batch.words.reserveCapacity(count * copies * size)
            for c in 0..<count {
                for _ in 0..<copies { batch.words += shifted.words[(c * size)..<((c + 1) * size)] }
            }
            let tests = Array([[TestPolynomial]](repeating: levelTests + (clears ? [clearingTests[i]] : []), count: count).joined())
            let outputs = try applyLookupTables(batch, tests, threads: threads)   // ±v: v for b = 0
            var ownLevels = LWECiphertextList(dimension: dimension, count: count * levels)
            for c in 0..<count {
                for l in 0..<levels {   // b·q/B^(l+1) = v − output
                    ownLevels.accumulate(c * levels + l, outputs, c * copies + l, times: -1)
                    ownLevels.words[(c * levels + l) * size + dimension] &+= levelHalves[l]
                }
                if clears {   // value −= b·2^i·Δ = v − output
                    values.accumulate(c, outputs, c * copies + levels)
                    values.words[c * size + dimension] &-= clearing[i]
                }
            }
            bitLevels.append(ownLevels)
        }
        return try verticalPacking(bitLevels, count: count, bits: bits, table: table, circuitKey: circuitKey)
    }

    /// For each ciphertext: the GGSW of each bit from its circuit bootstrapping levels, then the
    /// vertical packing of `table` by those bits.
    private func verticalPacking(_ bitLevels: [LWECiphertextList], count: Int, bits: Int, table: [UInt64],
                                 circuitKey: CircuitBootstrapKey) throws -> LWECiphertextList {
        let p = parameters, wide = circuitKey.wide
        let ggswDoubles = ctfhe_ggsw_fourier_double_count(p.glweDimension, p.polynomialSize, wide.circuitLevels)
        let ggsws = UnsafeMutableBufferPointer<Double>.allocate(capacity: ggswDoubles * bits)
        defer { ggsws.deallocate() }
        let keys: [UnsafePointer<UInt64>?] = circuitKey.components.map { UnsafePointer($0.baseAddress) }
        let levelWords = (p.bigLWEDimension + 1) * wide.circuitLevels
        var output = LWECiphertextList(dimension: p.bigLWEDimension, count: count)
        for c in 0..<count {
            for i in 0..<bits {
                try bitLevels[i].words.withUnsafeBufferPointer { levels in
                    try checkKernel(ctfhe_ggsw_from_levels(ggsws.baseAddress! + i * ggswDoubles, levels.baseAddress! + c * levelWords,
                                                           p.bigLWEDimension, keys, p.glweDimension, p.polynomialSize,
                                                           wide.circuitLevels, wide.packingBaseLog, wide.packingLevels),
                                    "circuit bootstrapping")
                }
            }
            try output.words.withUnsafeMutableBufferPointer { out in
                try checkKernel(ctfhe_vertical_packing(out.baseAddress! + c * (p.bigLWEDimension + 1), table, bits,
                                                       ggsws.baseAddress, p.glweDimension, p.polynomialSize,
                                                       wide.circuitBaseLog, wide.circuitLevels), "vertical packing")
            }
        }
        return output
    }
}
