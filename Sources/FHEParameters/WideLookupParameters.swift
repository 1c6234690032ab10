/// The decompositions a PBS without padding (WoP-PBS, Bergerat et al., ePrint 2022/704) adds to
/// a parameter set: the GGSWs that circuit bootstrapping makes of each bit (base 2^circuitBaseLog,
/// circuitLevels levels) and the packing keyswitch that builds their rows.
public struct WideLookupParameters: Sendable, Hashable, CustomStringConvertible {
    public let circuitBaseLog: Int
    public let circuitLevels: Int
    public let packingBaseLog: Int
    public let packingLevels: Int

    /// - Throws: `ParameterError.invalidValue` unless every base and level count is positive, the
    ///   packing keyswitch keeps at most 64 bits and circuit bootstrapping at most 63 (its last
    ///   level's PBS writes half of q/B^ℓ).
    public init(circuitBaseLog: Int, circuitLevels: Int, packingBaseLog: Int, packingLevels: Int) throws {
        for (name, base, levels, bits) in [("circuit bootstrapping", circuitBaseLog, circuitLevels, 63),
                                           ("packing keyswitch", packingBaseLog, packingLevels, 64)]
        where !(1...63).contains(base) || !(1...64).contains(levels) || base * levels > bits {
            throw ParameterError.invalidValue(field: "\(name) decomposition", value: "base 2^\(base), \(levels) levels",
                                              expected: "positive base logs and level counts keeping at most \(bits) bits")
        }
        self.circuitBaseLog = circuitBaseLog
        self.circuitLevels = circuitLevels
        self.packingBaseLog = packingBaseLog
        self.packingLevels = packingLevels
    }

    public var description: String {
        "circuit bootstrapping β=\(circuitBaseLog) ℓ=\(circuitLevels), packing keyswitch β=\(packingBaseLog) ℓ=\(packingLevels)"
    }

    /// Bytes in memory of the k + 1 packing keyswitch keys for `p`: (k+1)·(kN+1)·ℓ_pks·(k+1)·N words.
    public func circuitKeyBytes(_ p: ParameterSet) -> Int {
        Self.circuitKeyBytes(glweDimension: p.glweDimension, polynomialSize: p.polynomialSize, packingLevels: packingLevels)
    }

    /// Bytes of the seeded keys (bodies only, one word in k + 1, and a 16-byte seed).
    public func seededCircuitKeyBytes(_ p: ParameterSet) -> Int { circuitKeyBytes(p) / (p.glweDimension + 1) + 16 }

    /// `circuitKeyBytes` for (k, N, ℓ_pks).
    public static func circuitKeyBytes(glweDimension k: Int, polynomialSize size: Int, packingLevels: Int) -> Int {
        (k + 1) * (k * size + 1) * packingLevels * (k + 1) * size * 8
    }
}
