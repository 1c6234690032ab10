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
    public func keyswitch(_ ciphertexts: [LWECiphertext], threads: Int? = nil) throws -> [LWECiphertext] {
        let input = try flatten(ciphertexts, dimension: parameters.bigLWEDimension, operation: "keyswitch")
        var output = [UInt64](repeating: 0, count: ciphertexts.count * (parameters.lweDimension + 1))
        var kernel = parameters.kernelParameters
        try output.withUnsafeMutableBufferPointer { out in
            try checkKernel(ctfhe_keyswitch(out.baseAddress, input, ciphertexts.count, keyswitchKey.words.baseAddress,
                                            &kernel, Int32(Threading.resolved(threads))), "keyswitch")
        }
        return unflatten(output, dimension: parameters.lweDimension)
    }

    /// Bootstraps ciphertexts under the small key (dimension n) through one shared test polynomial
    /// or one each, giving ciphertexts under the big key with fresh noise.
    public func bootstrap(_ ciphertexts: [LWECiphertext], testPolynomials: [TestPolynomial],
                          threads: Int? = nil) throws -> [LWECiphertext] {
        let input = try flatten(ciphertexts, dimension: parameters.lweDimension, operation: "bootstrap")
        return try runBootstrap(ciphertexts.count, testPolynomials, threads: threads) { out, tests, testCount, threadCount in
            ctfhe_programmable_bootstrap(out, input, ciphertexts.count, tests, testCount, bootstrapKey.handle, threadCount)
        }
    }

    /// One table lookup: keyswitch then PBS of one ciphertext under the big key, on this thread.
    public func applyLookupTable(_ ciphertext: LWECiphertext, _ testPolynomial: TestPolynomial) throws -> LWECiphertext {
        try applyLookupTables([ciphertext], [testPolynomial], threads: 1)[0]
    }

    /// The same table lookup on every ciphertext, as one batched keyswitch + PBS.
    public func applyLookupTable(_ ciphertexts: [LWECiphertext], _ testPolynomial: TestPolynomial,
                                 threads: Int? = nil) throws -> [LWECiphertext] {
        try applyLookupTables(ciphertexts, [testPolynomial], threads: threads)
    }

    /// Table lookups as one batched keyswitch + PBS: `testPolynomials` holds one polynomial
    /// shared by all ciphertexts or one per ciphertext. Bit-identical for any thread count.
    public func applyLookupTables(_ ciphertexts: [LWECiphertext], _ testPolynomials: [TestPolynomial],
                                  threads: Int? = nil) throws -> [LWECiphertext] {
        let input = try flatten(ciphertexts, dimension: parameters.bigLWEDimension, operation: "table lookup")
        return try runBootstrap(ciphertexts.count, testPolynomials, threads: threads) { out, tests, testCount, threadCount in
            ctfhe_keyswitch_bootstrap(out, input, ciphertexts.count, tests, testCount,
                                      keyswitchKey.words.baseAddress, bootstrapKey.handle, threadCount)
        }
    }

    private func runBootstrap(
        _ count: Int, _ testPolynomials: [TestPolynomial], threads: Int? = nil,
        _ kernel: (UnsafeMutablePointer<UInt64>?, UnsafePointer<UInt64>?, Int, Int32) -> ctfhe_status
    ) throws -> [LWECiphertext] {
        guard testPolynomials.count == 1 || testPolynomials.count == count else {
            throw TFHEError.invalidArgument(
                "give one test polynomial for all \(count) ciphertexts or one each, not \(testPolynomials.count)")
        }
        guard testPolynomials.allSatisfy({ $0.coefficients.count == parameters.polynomialSize }) else {
            throw TFHEError.invalidArgument(
                "a test polynomial was made for another parameter set: its size is not N = \(parameters.polynomialSize)")
        }
        let tests = testPolynomials.count == 1 ? testPolynomials[0].coefficients : testPolynomials.flatMap(\.coefficients)
        let outputDimension = parameters.bigLWEDimension
        var output = [UInt64](repeating: 0, count: count * (outputDimension + 1))
        try output.withUnsafeMutableBufferPointer { out in
            try checkKernel(kernel(out.baseAddress, tests, testPolynomials.count, Int32(Threading.resolved(threads))),
                            "programmable bootstrap")
        }
        return unflatten(output, dimension: outputDimension)
    }

    private func flatten(_ ciphertexts: [LWECiphertext], dimension: Int, operation: String) throws -> [UInt64] {
        var words = [UInt64]()
        words.reserveCapacity(ciphertexts.count * (dimension + 1))
        for ciphertext in ciphertexts {
            guard ciphertext.dimension == dimension else {
                throw TFHEError.dimensionMismatch(operation: operation, expected: dimension, actual: ciphertext.dimension)
            }
            words.append(contentsOf: ciphertext.words)
        }
        return words
    }

    private func unflatten(_ words: [UInt64], dimension: Int) -> [LWECiphertext] {
        stride(from: 0, to: words.count, by: dimension + 1).map {
            LWECiphertext(unchecked: Array(words[$0..<($0 + dimension + 1)]))
        }
    }
}
