import Foundation

/// The cryptographic parameters of the TFHE atomic pattern (keyswitch then PBS).
///
/// Values live under the big key (dimension k·N); a table lookup keyswitches them to dimension
/// n, then bootstraps them back. Noise standard deviations are fractions of q = 2^64.
public struct ParameterSet: Sendable, Hashable, Codable, CustomStringConvertible {
    /// n: the small LWE dimension (keyswitch output, PBS input).
    public let lweDimension: Int
    /// k: mask polynomials per GLWE ciphertext.
    public let glweDimension: Int
    /// N: coefficients per polynomial, a power of two.
    public let polynomialSize: Int
    /// β: log2 of the PBS decomposition base.
    public let pbsBaseLog: Int
    /// ℓ: PBS decomposition levels.
    public let pbsLevelCount: Int
    /// β_ks: log2 of the keyswitch decomposition base.
    public let ksBaseLog: Int
    /// ℓ_ks: keyswitch decomposition levels.
    public let ksLevelCount: Int
    /// σ of the noise in LWE encryptions under the small key (fraction of q).
    public let lweNoiseStd: Double
    /// σ of the noise in GLWE encryptions under the big key (fraction of q).
    public let glweNoiseStd: Double

    /// Polynomial sizes the kernels support.
    public static let polynomialSizes = Limits.polynomialSizes
    /// LWE dimensions accepted (the optimizer searches a narrower range).
    public static let lweDimensions = Limits.lweDimensions
    /// GLWE dimensions accepted.
    public static let glweDimensions = Limits.glweDimensions

    /// Creates a parameter set, checking every value.
    ///
    /// Noise left `nil` is the minimum that `securityLevel`'s curve allows for the dimension
    /// (n for the LWE noise, k·N for the GLWE noise).
    /// - Throws: `ParameterError.invalidValue` naming the first field out of range.
    public init(
        lweDimension: Int, glweDimension: Int, polynomialSize: Int,
        pbsBaseLog: Int, pbsLevelCount: Int, ksBaseLog: Int, ksLevelCount: Int,
        lweNoiseStd: Double? = nil, glweNoiseStd: Double? = nil,
        securityLevel: SecurityLevel = .bits128
    ) throws {
        func check(_ ok: Bool, _ field: String, _ value: some CustomStringConvertible, _ expected: String) throws {
            if !ok { throw ParameterError.invalidValue(field: field, value: value.description, expected: expected) }
        }
        try check(Self.lweDimensions.contains(lweDimension), "lweDimension (n)", lweDimension,
                  "\(Self.lweDimensions.lowerBound)…\(Self.lweDimensions.upperBound)")
        try check(Self.glweDimensions.contains(glweDimension), "glweDimension (k)", glweDimension,
                  "\(Self.glweDimensions.lowerBound)…\(Self.glweDimensions.upperBound)")
        try check(Self.polynomialSizes.contains(polynomialSize) && polynomialSize.nonzeroBitCount == 1,
                  "polynomialSize (N)", polynomialSize, "a power of two from 256 to 2^17")
        for (name, base, levels) in [("pbs", pbsBaseLog, pbsLevelCount), ("ks", ksBaseLog, ksLevelCount)] {
            try check((1...63).contains(base), "\(name)BaseLog", base, "1…63")
            try check(levels >= 1, "\(name)LevelCount", levels, "at least 1")
            try check(base * levels <= 64, "\(name)BaseLog × \(name)LevelCount", base * levels, "at most 64")
        }
        // A noise left to the curve must exist: below some dimension the curve asks for σ ≥ q/2.
        func defaultedNoise(_ given: Double?, _ field: String, _ dimension: Int) throws -> Double {
            if let given { return given }
            let noise = securityLevel.minimumNoiseStd(dimension: dimension)
            guard noise < 0.5 else {
                let smallest = (1...).first { securityLevel.minimumNoiseStd(dimension: $0) < 0.5 }!
                throw ParameterError.invalidValue(
                    field: field, value: "\(dimension)",
                    expected: "at least \(smallest): below it no noise under q/2 makes a key \(securityLevel) secure")
            }
            return noise
        }
        let lweNoise = try defaultedNoise(lweNoiseStd, "lweDimension (n)", lweDimension)
        let glweNoise = try defaultedNoise(glweNoiseStd, "k·N", glweDimension * polynomialSize)
        for (name, value) in [("lweNoiseStd", lweNoise), ("glweNoiseStd", glweNoise)] {
            try check(value.isFinite && value > 0 && value < 0.5, name, value, "a fraction of q in (0, 0.5)")
        }
        self.lweDimension = lweDimension
        self.glweDimension = glweDimension
        self.polynomialSize = polynomialSize
        self.pbsBaseLog = pbsBaseLog
        self.pbsLevelCount = pbsLevelCount
        self.ksBaseLog = ksBaseLog
        self.ksLevelCount = ksLevelCount
        self.lweNoiseStd = lweNoise
        self.glweNoiseStd = glweNoise
    }

    /// k·N: the dimension of the big LWE key (a GLWE key read as an LWE key).
    public var bigLWEDimension: Int { glweDimension * polynomialSize }
    /// n + 1: the words of an LWE ciphertext under the small key (mask and body).
    public var lweSize: Int { lweDimension + 1 }
    /// kN + 1: the words of an LWE ciphertext under the big key.
    public var bigLWESize: Int { bigLWEDimension + 1 }
    /// k + 1: the polynomials of a GLWE ciphertext (mask and body).
    public var glweSize: Int { glweDimension + 1 }

    /// Bytes of the bootstrapping key in Fourier form: n GGSWs of (k+1)²·ℓ polynomials of N doubles.
    public var bootstrapKeyBytes: Int {
        lweDimension * glweSize * glweSize * pbsLevelCount * polynomialSize * 8
    }

    /// Bytes of the keyswitching key: k·N·ℓ_ks LWE ciphertexts of n + 1 words.
    public var keyswitchKeyBytes: Int { bigLWEDimension * ksLevelCount * lweSize * 8 }

    /// Bytes of the bootstrapping key in seeded form (on the wire): n·(k+1)·ℓ body polynomials
    /// of N words, the masks being regenerated from a 16-byte seed.
    public var seededBootstrapKeyBytes: Int { lweDimension * glweSize * pbsLevelCount * polynomialSize * 8 }

    /// Bytes of the keyswitching key in seeded form (on the wire): kN·ℓ_ks bodies.
    public var seededKeyswitchKeyBytes: Int { bigLWEDimension * ksLevelCount * 8 }

    /// The highest level whose curve both key noises satisfy, or nil when below 128 bits.
    public var securityLevel: SecurityLevel? {
        SecurityLevel.allCases.sorted { $0.rawValue > $1.rawValue }.first { level in
            level.isSecure(dimension: lweDimension, noiseStd: lweNoiseStd)
                && level.isSecure(dimension: bigLWEDimension, noiseStd: glweNoiseStd)
        }
    }

    public var description: String {
        "n=\(lweDimension) k=\(glweDimension) N=\(polynomialSize) PBS β=\(pbsBaseLog) ℓ=\(pbsLevelCount) "
            + "KS β=\(ksBaseLog) ℓ=\(ksLevelCount) σ_lwe=\(lweNoiseStd) σ_glwe=\(glweNoiseStd)"
    }
}

extension ParameterSet {
    private enum CodingKeys: String, CodingKey {
        case lweDimension = "n", glweDimension = "k", polynomialSize = "N"
        case pbsBaseLog = "pbs_base_log", pbsLevelCount = "pbs_levels"
        case ksBaseLog = "ks_base_log", ksLevelCount = "ks_levels"
        case lweNoiseStd = "lwe_noise_std", glweNoiseStd = "glwe_noise_std"
    }

    /// Decodes a parameter set and validates it like `init(lweDimension:…)`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            lweDimension: c.decode(Int.self, forKey: .lweDimension),
            glweDimension: c.decode(Int.self, forKey: .glweDimension),
            polynomialSize: c.decode(Int.self, forKey: .polynomialSize),
            pbsBaseLog: c.decode(Int.self, forKey: .pbsBaseLog),
            pbsLevelCount: c.decode(Int.self, forKey: .pbsLevelCount),
            ksBaseLog: c.decode(Int.self, forKey: .ksBaseLog),
            ksLevelCount: c.decode(Int.self, forKey: .ksLevelCount),
            lweNoiseStd: c.decode(Double.self, forKey: .lweNoiseStd),
            glweNoiseStd: c.decode(Double.self, forKey: .glweNoiseStd))
    }

    /// Encodes with the keys of `fhec`'s JSON: n, k, N, pbs_base_log, pbs_levels, ks_base_log,
    /// ks_levels, lwe_noise_std, glwe_noise_std.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lweDimension, forKey: .lweDimension)
        try c.encode(glweDimension, forKey: .glweDimension)
        try c.encode(polynomialSize, forKey: .polynomialSize)
        try c.encode(pbsBaseLog, forKey: .pbsBaseLog)
        try c.encode(pbsLevelCount, forKey: .pbsLevelCount)
        try c.encode(ksBaseLog, forKey: .ksBaseLog)
        try c.encode(ksLevelCount, forKey: .ksLevelCount)
        try c.encode(lweNoiseStd, forKey: .lweNoiseStd)
        try c.encode(glweNoiseStd, forKey: .glweNoiseStd)
    }
}
