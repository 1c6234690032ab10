internal import CTFHE
import FHEParameters

/// Keyswitching and programmable bootstrapping with a server key.
extension ServerKey {
    /// The test polynomial of a table for this parameter set.
    /// - Throws: `TFHEError.invalidArgument` when 2^(p+1) > N: the boxes would be too small.
    public func testPolynomial(for table: PBSTable) throws -> TestPolynomial {
        try testPolynomial(plaintexts: table.entries.indices.map { table.outputEncoding.encode(table[$0]) })
    }

    /// The test polynomial whose entry m is the torus value `plaintexts[m]`, for inputs encoded
    /// with p = log2(plaintexts.count) bits and a padding bit.
    /// - Throws: `TFHEError.invalidArgument` for a count that is not a power of two, or when
    ///   2·count > N: the boxes would be too small.
    public func testPolynomial(plaintexts: [UInt64]) throws -> TestPolynomial {
        let size = parameters.polynomialSize
        guard plaintexts.count >= 2, plaintexts.count.nonzeroBitCount == 1, 2 * plaintexts.count <= size else {
            throw TFHEError.invalidArgument(
                "a table of \(plaintexts.count) entries needs a power of two with N ≥ \(2 * plaintexts.count); this parameter "
                    + "set has N = \(size): choose a parameter set for \(plaintexts.count.trailingZeroBitCount)-bit messages")
        }
        var coefficients = [UInt64](repeating: 0, count: size)
        try coefficients.withUnsafeMutableBufferPointer { out in
            try checkKernel(ctfhe_test_polynomial(out.baseAddress, size, plaintexts, plaintexts.count), "test polynomial")
        }
        return TestPolynomial(coefficients: coefficients)
    }

    /// Keyswitches ciphertexts from the big key (dimension kN) to the small key (dimension n).
    /// - Throws: `TFHEError.dimensionMismatch` for ciphertexts of another dimension.
    public func keyswitch(_ ciphertexts: LWECiphertextList, threads: Int? = nil) throws -> LWECiphertextList {
        try requireDimension(ciphertexts, parameters.bigLWEDimension, "keyswitch")
        var output = LWECiphertextList(dimension: parameters.lweDimension, count: ciphertexts.count)
        var kernel = parameters.kernelParameters
        try output.words.withUnsafeMutableBufferPointer { out in
            try checkKernel(ctfhe_keyswitch(out.baseAddress, ciphertexts.words, ciphertexts.count, keyswitchKey.words.baseAddress,
                                            &kernel, Int32(Threading.resolved(threads))), "keyswitch")
        }
        return output
    }

    /// Bootstraps ciphertexts under the small key (dimension n) through one shared test polynomial
    /// or one each, giving ciphertexts under the big key with fresh noise.
    public func bootstrap(_ ciphertexts: LWECiphertextList, testPolynomials: [TestPolynomial],
                          threads: Int? = nil) throws -> LWECiphertextList {
        try requireDimension(ciphertexts, parameters.lweDimension, "bootstrap")
        return try runBootstrap(ciphertexts.count, testPolynomials, threads: threads) { out, tests, testCount, threadCount in
            ctfhe_programmable_bootstrap(out, ciphertexts.words, ciphertexts.count, tests, testCount, bootstrapKey.handle, threadCount)
        }
    }

    /// Table lookups as one batched keyswitch + PBS of ciphertexts under the big key:
    /// `testPolynomials` holds one polynomial shared by all ciphertexts or one per ciphertext.
    /// Bit-identical for any thread count. The kernel reads and writes the lists' buffers.
    public func applyLookupTables(_ ciphertexts: LWECiphertextList, _ testPolynomials: [TestPolynomial],
                                  threads: Int? = nil) throws -> LWECiphertextList {
        try requireDimension(ciphertexts, parameters.bigLWEDimension, "table lookup")
        return try runBootstrap(ciphertexts.count, testPolynomials, threads: threads) { out, tests, testCount, threadCount in
            ctfhe_keyswitch_bootstrap(out, ciphertexts.words, ciphertexts.count, tests, testCount,
                                      keyswitchKey.words.baseAddress, bootstrapKey.handle, threadCount)
        }
    }

    /// Keyswitch + PBS of every ciphertext with 2^lutLog lookups per PBS (many-LUT,
    /// `ctfhe_keyswitch_bootstrap_many`): for each input, in order, the outputs at coefficients
    /// 0 … 2^lutLog − 1 of its rotated test polynomial (one for all, or one each), whose coefficient
    /// t serves lookup t mod 2^lutLog.
    func applyManyLookups(_ ciphertexts: LWECiphertextList, _ testPolynomials: [TestPolynomial], lutLog: Int,
                          threads: Int? = nil) throws -> LWECiphertextList {
        try requireDimension(ciphertexts, parameters.bigLWEDimension, "table lookup")
        guard (0...16).contains(lutLog), 1 << lutLog <= parameters.polynomialSize else {
            throw TFHEError.invalidArgument("2^\(lutLog) lookups per PBS do not fit N = \(parameters.polynomialSize)")
        }
        return try runBootstrap(ciphertexts.count, testPolynomials, outputsPerInput: 1 << lutLog, threads: threads) {
            out, tests, testCount, threadCount in
            ctfhe_keyswitch_bootstrap_many(out, ciphertexts.words, ciphertexts.count, tests, testCount, UInt32(lutLog),
                                           keyswitchKey.words.baseAddress, bootstrapKey.handle, threadCount)
        }
    }

    /// The same table lookup on every ciphertext of a list, as one batched keyswitch + PBS.
    public func applyLookupTable(_ ciphertexts: LWECiphertextList, _ testPolynomial: TestPolynomial,
                                 threads: Int? = nil) throws -> LWECiphertextList {
        try applyLookupTables(ciphertexts, [testPolynomial], threads: threads)
    }

    /// `keyswitch` of separate ciphertexts (copied into a list and out).
    public func keyswitch(_ ciphertexts: [LWECiphertext], threads: Int? = nil) throws -> [LWECiphertext] {
        try keyswitch(LWECiphertextList(ciphertexts, dimension: parameters.bigLWEDimension, for: "keyswitch"), threads: threads).ciphertexts
    }

    /// `bootstrap` of separate ciphertexts (copied into a list and out).
    public func bootstrap(_ ciphertexts: [LWECiphertext], testPolynomials: [TestPolynomial],
                          threads: Int? = nil) throws -> [LWECiphertext] {
        try bootstrap(LWECiphertextList(ciphertexts, dimension: parameters.lweDimension, for: "bootstrap"), testPolynomials: testPolynomials,
                      threads: threads).ciphertexts
    }

    /// One table lookup: keyswitch then PBS of one ciphertext under the big key, on this thread.
    public func applyLookupTable(_ ciphertext: LWECiphertext, _ testPolynomial: TestPolynomial) throws -> LWECiphertext {
        try applyLookupTables([ciphertext], [testPolynomial], threads: 1)[0]
    }

    /// `applyLookupTable` of separate ciphertexts (copied into a list and out).
    public func applyLookupTable(_ ciphertexts: [LWECiphertext], _ testPolynomial: TestPolynomial,
                                 threads: Int? = nil) throws -> [LWECiphertext] {
        try applyLookupTables(ciphertexts, [testPolynomial], threads: threads)
    }

    /// `applyLookupTables` of separate ciphertexts (copied into a list and out).
    public func applyLookupTables(_ ciphertexts: [LWECiphertext], _ testPolynomials: [TestPolynomial],
                                  threads: Int? = nil) throws -> [LWECiphertext] {
        try applyLookupTables(LWECiphertextList(ciphertexts, dimension: parameters.bigLWEDimension, for: "table lookup"), testPolynomials,
                              threads: threads).ciphertexts
    }

    private func requireDimension(_ ciphertexts: LWECiphertextList, _ dimension: Int, _ operation: String) throws {
        guard ciphertexts.dimension == dimension else {
            throw TFHEError.dimensionMismatch(operation: operation, expected: dimension, actual: ciphertexts.dimension)
        }
    }

    private func runBootstrap(
        _ count: Int, _ testPolynomials: [TestPolynomial], outputsPerInput: Int = 1, threads: Int? = nil,
        _ kernel: (UnsafeMutablePointer<UInt64>?, UnsafePointer<UInt64>?, Int, Int32) -> ctfhe_status
    ) throws -> LWECiphertextList {
        guard testPolynomials.count == 1 || testPolynomials.count == count else {
            throw TFHEError.invalidArgument(
                "give one test polynomial for all \(count) ciphertexts or one each, not \(testPolynomials.count)")
        }
        guard testPolynomials.allSatisfy({ $0.coefficients.count == parameters.polynomialSize }) else {
            throw TFHEError.invalidArgument(
                "a test polynomial was made for another parameter set: its size is not N = \(parameters.polynomialSize)")
        }
        let tests = testPolynomials.count == 1 ? testPolynomials[0].coefficients : testPolynomials.flatMap(\.coefficients)
        var output = LWECiphertextList(dimension: parameters.bigLWEDimension, count: count * outputsPerInput)
        try output.words.withUnsafeMutableBufferPointer { out in
            try checkKernel(kernel(out.baseAddress, tests, testPolynomials.count, Int32(Threading.resolved(threads))),
                            "programmable bootstrap")
        }
        return output
    }
}
