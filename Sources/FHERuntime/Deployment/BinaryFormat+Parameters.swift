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
}

extension ParameterSet {
    /// Bytes of a parameter set in the binary format.
    package static let serializedByteCount = 7 * 4 + 2 * 8
}
