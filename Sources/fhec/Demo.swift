import ArgumentParser
import FHE

/// `fhec demo`: the main job of `make run` for now: a table lookup on encrypted 4-bit values.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Encrypt a few 4-bit values, apply x² mod 13 by keyswitch + PBS, decrypt, compare.")

    @Option(help: "Threads for keygen and the batch (default: $FHE_NUM_THREADS or all cores).")
    var threads: Int?

    func run() throws {
        let parameters = ParameterSet.concrete4Bit
        let encoding = try MessageEncoding(bits: 4)
        let function: (Int) -> Int = { ($0 * $0) % 13 }
        let values = [0, 3, 7, 12, 15, 5, 9, 1]
        print("swift-fhe demo: f(x) = x² mod 13 on encrypted 4-bit values")
        print("parameters: concrete-4bit (\(parameters))")
        print("threads: \(Threading.resolved(threads))\n")

        let (keys, keygenTime) = try measure { () throws -> (SecretKeys, ServerKey) in
            let secretKeys = SecretKeys(parameters: parameters)
            return (secretKeys, try ServerKey(secretKeys: secretKeys, threads: threads))
        }
        let (secretKeys, serverKey) = keys
        print("keygen:    \(milliseconds(keygenTime))  (bootstrapping key \(mebibytes(serverKey.bootstrapKeyBytes)), "
            + "keyswitching key \(mebibytes(serverKey.keyswitchKeyBytes)))")

        let table = try PBSTable(inputBits: 4, function: function)
        let testPolynomial = try serverKey.testPolynomial(for: table)
        let (ciphertexts, encryptTime) = try measure { try secretKeys.encrypt(values, encoding: encoding) }
        print("encrypt:   \(milliseconds(encryptTime))  (\(values.count) values)")
        let (one, singleTime) = try measure { try serverKey.applyLookupTable(ciphertexts[0], testPolynomial) }
        print("one TLU:   \(milliseconds(singleTime))  (keyswitch + PBS, one thread)")
        let (outputs, batchTime) = try measure {
            try serverKey.applyLookupTable(ciphertexts, testPolynomial, threads: threads)
        }
        print("batch:     \(milliseconds(batchTime))  (\(values.count) TLUs, \(milliseconds(batchTime / Double(values.count))) each)")
        let (decrypted, decryptTime) = try measure { try outputs.map { try secretKeys.decrypt($0, encoding: encoding) } }
        print("decrypt:   \(milliseconds(decryptTime))\n")

        print("   x | f(x) clear | f(x) decrypted")
        var mismatches = 0
        for (x, y) in zip(values, decrypted) {
            let expected = function(x)
            if expected != y { mismatches += 1 }
            print("  \(pad(x, 2)) | \(pad(expected, 10)) | \(pad(y, 14))\(expected == y ? "" : "  ✗")")
        }
        if try secretKeys.decrypt(one, encoding: encoding) != function(values[0]) { mismatches += 1 }
        print(mismatches == 0 ? "\nall results match the clear computation" : "\n\(mismatches) results differ")
        if mismatches > 0 { throw ExitCode(1) }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
