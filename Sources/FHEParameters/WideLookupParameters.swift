/// The decompositions a PBS without padding (WoP-PBS, Bergerat et al., ePrint 2022/704) adds to
/// a parameter set: the GGSWs that circuit bootstrapping makes of each bit (base 2^circuitBaseLog,
/// circuitLevels levels) and the packing keyswitch that builds their rows.
public struct WideLookupParameters: Sendable, Hashable, CustomStringConvertible {
    public let circuitBaseLog: Int
    public let circuitLevels: Int
    public let packingBaseLog: Int
    public let packingLevels: Int
    /// log2 of the lookups one PBS makes (many-LUT): each bit's ℓ_cb circuit bootstrapping levels
    /// and the output that clears it from the value take ⌈(ℓ_cb + 1) / 2^log⌉ PBS, whose modulus
    /// switch rounds to multiples of 2^log (that of a PBS at N / 2^log).
    public let lookupsPerBootstrapLog: Int
    /// The narrowest lookup input made wide: narrower ones are one PBS (9…11; 11 makes 9- and
    /// 10-bit lookups one PBS with a large polynomial).
    public let narrowestBits: Int

    /// The narrowest lookups that may be wide.
    public static let narrowestBitsRange = (Limits.defaultLookupBitWidth + 1)...(Limits.maximumLookupBitWidth + 1)

    /// The most lookups per PBS: 2^4.
    public static let maximumLookupsPerBootstrapLog = 4

    /// - Throws: `ParameterError.invalidValue` unless every base and level count is positive, the
    ///   packing keyswitch keeps at most 64 bits and circuit bootstrapping at most 63 (its last
    ///   level's PBS writes half of q/B^ℓ), and lookups per PBS are 2^0 … 2^4, no more than ℓ_cb + 1 needs.
    public init(circuitBaseLog: Int, circuitLevels: Int, packingBaseLog: Int, packingLevels: Int,
                lookupsPerBootstrapLog: Int? = nil, narrowestBits: Int = Limits.maximumLookupBitWidth + 1) throws {
        for (name, base, levels, bits) in [("circuit bootstrapping", circuitBaseLog, circuitLevels, 63),
                                           ("packing keyswitch", packingBaseLog, packingLevels, 64)]
        where !(1...63).contains(base) || !(1...64).contains(levels) || base * levels > bits {
            throw ParameterError.invalidValue(field: "\(name) decomposition", value: "base 2^\(base), \(levels) levels",
                                              expected: "positive base logs and level counts keeping at most \(bits) bits")
        }
        let most = Self.mostLookupsPerBootstrapLog(circuitLevels: circuitLevels)
        let log = lookupsPerBootstrapLog ?? most
        guard (0...most).contains(log) else {
            throw ParameterError.invalidValue(field: "lookups per PBS", value: "2^\(log)", expected: "2^0 … 2^\(most)")
        }
        self.circuitBaseLog = circuitBaseLog
        self.circuitLevels = circuitLevels
        self.packingBaseLog = packingBaseLog
        self.packingLevels = packingLevels
        guard Self.narrowestBitsRange.contains(narrowestBits) else {
            throw ParameterError.invalidValue(field: "narrowest wide lookup", value: "\(narrowestBits) bits",
                                              expected: "\(Self.narrowestBitsRange) bits")
        }
        self.lookupsPerBootstrapLog = log
        self.narrowestBits = narrowestBits
    }

    /// Whether a lookup of `bits`-bit inputs is wide when `narrowest`-bit ones are (11: only
    /// those one PBS cannot make).
    public static func isWide(bits: Int, narrowest: Int) -> Bool { bits >= narrowest }

    /// `isWide` for these parameters, or without wide lookups (nil): inputs over 10 bits.
    public static func isWide(bits: Int, _ wide: WideLookupParameters?) -> Bool {
        isWide(bits: bits, narrowest: wide?.narrowestBits ?? Limits.maximumLookupBitWidth + 1)
    }

    /// The largest `lookupsPerBootstrapLog` for ℓ_cb levels: ⌈log2(ℓ_cb + 1)⌉ (all of a bit's
    /// lookups in one PBS), at most `maximumLookupsPerBootstrapLog`.
    public static func mostLookupsPerBootstrapLog(circuitLevels: Int) -> Int {
        var log = 0
        while 1 << log < circuitLevels + 1 { log += 1 }
        return min(log, maximumLookupsPerBootstrapLog)
    }

    /// PBS per bit of a wide lookup: ⌈(ℓ_cb + 1) / 2^lookupsPerBootstrapLog⌉.
    public var bootstrapsPerBit: Int { Self.bootstrapsPerBit(circuitLevels: circuitLevels, lookupsPerBootstrapLog: lookupsPerBootstrapLog) }

    /// `bootstrapsPerBit` for (ℓ_cb, log).
    public static func bootstrapsPerBit(circuitLevels: Int, lookupsPerBootstrapLog log: Int) -> Int {
        (circuitLevels + 1 + (1 << log) - 1) >> log
    }

    public var description: String {
        "circuit bootstrapping β=\(circuitBaseLog) ℓ=\(circuitLevels), packing keyswitch β=\(packingBaseLog) ℓ=\(packingLevels), "
            + "\(1 << lookupsPerBootstrapLog) lookups per PBS, from \(narrowestBits) bits"
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
