import FHEParameters
import FHEProgram
import Foundation
import TFHE

/// The secret keys of a client, to keep between sessions: `serialized()` holds the key bits, so
/// store it as you would a password. No server API accepts them. Never printed.
public struct ClientKeys: Sendable, CustomStringConvertible {
    let secretKeys: SecretKeys
    let specsFingerprint: UInt64
    /// A random identifier (not derived from the key) carried by everything made with these keys.
    let keyID: UInt64

    init(secretKeys: SecretKeys, specsFingerprint: UInt64, keyID: UInt64) {
        self.secretKeys = secretKeys
        self.specsFingerprint = specsFingerprint
        self.keyID = keyID
    }

    public var description: String { "ClientKeys(parameters: \(secretKeys.parameters), secret bits hidden)" }

    /// The header, the parameter set, then the key bits packed 8 to a byte (n bits of the LWE
    /// key, then kN of the GLWE key). The bits are packed straight into the returned buffer, sized
    /// up front, so no other copy of them is ever made; wipe the returned data when done with it.
    public func serialized() -> Data {
        let parameters = secretKeys.parameters
        var header = BinaryWriter()
        header.writeHeader(.clientKeys, fingerprint: specsFingerprint, keyID: keyID)
        header.write(parameters)
        let (lweBytes, glweBytes) = Self.packedByteCounts(parameters)
        var data = Data(count: header.bytes.count + lweBytes + glweBytes)
        data.withUnsafeMutableBytes { raw in
            raw.copyBytes(from: header.bytes)
            secretKeys.withKeyBits { lwe, glwe in
                for (bits, start) in [(lwe, header.bytes.count), (glwe, header.bytes.count + lweBytes)] {
                    for (index, bit) in bits.enumerated() { raw[start + index / 8] |= UInt8(truncatingIfNeeded: bit) << (index % 8) }
                }
            }
        }
        return data
    }

    /// Bytes of the packed LWE and GLWE key bits.
    private static func packedByteCounts(_ parameters: ParameterSet) -> (lwe: Int, glwe: Int) {
        ((parameters.lweDimension + 7) / 8, (parameters.bigLWEDimension + 7) / 8)
    }

    /// Reads saved keys. The bits are read from `data` in place into the keys' own wiped
    /// storage: no copy of them is made (`data` itself is the caller's to wipe).
    /// - Throws: `DeserializationError` saying what is wrong.
    public init(serialized data: Data) throws {
        let prefixCount = BinaryFormat.headerByteCount + ParameterSet.serializedByteCount
        var reader = BinaryReader([UInt8](data.prefix(prefixCount)))   // the header and parameters: nothing secret
        (specsFingerprint, keyID) = try reader.readHeader(.clientKeys)
        let parameters = try reader.readParameters()
        let (lweBytes, glweBytes) = Self.packedByteCounts(parameters)
        try BinaryReader.require(present: data.count - prefixCount, exactly: lweBytes + glweBytes)
        secretKeys = data.withUnsafeBytes { raw in
            func bit(_ index: Int) -> Bool { raw[prefixCount + index / 8] >> (index % 8) & 1 == 1 }
            return SecretKeys(parameters: parameters, lweKeyBit: { bit($0) }, glweKeyBit: { bit(8 * lweBytes + $0) })
        }
    }

    /// Writes `serialized()` to a new file that only its owner may read or write (mode 0600),
    /// replacing any file there. Store it as you would a password.
    /// - Throws: `RuntimeError.unsupported` when the file cannot be written.
    public func save(to url: URL) throws {
        var data = serialized()
        defer { data.withUnsafeMutableBytes { secureZero($0) } }
        try writePrivateFile(data, to: url)
    }
}
