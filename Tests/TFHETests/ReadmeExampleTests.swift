import FHEParameters
import Testing
import TFHE

/// The Swift example of README.md, kept compiling and correct.
@Test("the README example decrypts to 6")
func readmeExample() throws {
    let parameters = ParameterSet.concrete4Bit
    let secretKeys = SecretKeys(parameters: parameters)
    let serverKey = try ServerKey(secretKeys: secretKeys)

    let encoding = try MessageEncoding(bits: 4)
    let x = try secretKeys.encrypt([3, 7, 12], encoding: encoding)
    let table = try PBSTable(inputBits: 4) { ($0 * $0) % 13 }
    let y = try serverKey.applyLookupTable(x, serverKey.testPolynomial(for: table))
    let z = try y[0].adding(y[1]).multiplied(by: 2)
    #expect(try secretKeys.decrypt(z, encoding: encoding) == 6)
}
