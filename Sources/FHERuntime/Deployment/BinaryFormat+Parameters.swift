import FHEParameters
import FHEProgram

/// Parameter sets in the binary format (`BinaryFormat`).
extension BinaryWriter {
    /// A parameter set: seven UInt32 fields and two noise deviations (`ParameterSet.serializedByteCount`).
    package mutating func write(_ parameters: ParameterSet) {
        let p = parameters
        for field in [p.lweDimension, p.glweDimension, p.polynomialSize, p.pbsBaseLog, p.pbsLevelCount, p.ksBaseLog, p.ksLevelCount] {
            write(UInt32(field))
        }
        write(p.lweNoiseStd)
        write(p.glweNoiseStd)
    }

    /// Optional wide-lookup decompositions: a presence byte, then six UInt8 fields.
    package mutating func write(_ wide: WideLookupParameters?) {
        write(UInt8(wide == nil ? 0 : 1))
        guard let wide else { return }
        for field in [wide.circuitBaseLog, wide.circuitLevels, wide.packingBaseLog, wide.packingLevels, wide.lookupsPerBootstrapLog,
                      wide.narrowestBits] {
            write(UInt8(field))
        }
    }
}

extension BinaryReader {
    /// A parameter set, validated.
    package mutating func readParameters() throws -> ParameterSet {
        var fields = [Int]()
        for _ in 0..<7 { fields.append(Int(try read(UInt32.self))) }
        let lweNoise = try readDouble(), glweNoise = try readDouble()
        do {
            return try ParameterSet(
                lweDimension: fields[0], glweDimension: fields[1], polynomialSize: fields[2], pbsBaseLog: fields[3],
                pbsLevelCount: fields[4], ksBaseLog: fields[5], ksLevelCount: fields[6],
                lweNoiseStd: lweNoise, glweNoiseStd: glweNoise)
        } catch let error as ParameterError {
            throw DeserializationError.invalidValue("\(error)")
        }
    }

    /// Optional wide-lookup decompositions, validated.
    package mutating func readWideLookupParameters() throws -> WideLookupParameters? {
        let present = try read(UInt8.self)
        guard present <= 1 else { throw DeserializationError.invalidValue("a presence byte must be 0 or 1, found \(present)") }
        guard present == 1 else { return nil }
        var fields = [Int]()
        for _ in 0..<6 { fields.append(Int(try read(UInt8.self))) }
        do {
            return try WideLookupParameters(circuitBaseLog: fields[0], circuitLevels: fields[1], packingBaseLog: fields[2],
                                            packingLevels: fields[3], lookupsPerBootstrapLog: fields[4], narrowestBits: fields[5])
        } catch let error as ParameterError {
            throw DeserializationError.invalidValue("\(error)")
        }
    }
}

extension ParameterSet {
    /// Bytes of a parameter set in the binary format.
    package static let serializedByteCount = 7 * 4 + 2 * 8
}
