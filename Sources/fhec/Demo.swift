import ArgumentParser
import FHE
import Foundation

/// `fhec demo`: the end-to-end main job: trace, compile, keygen, encrypt, run in FHE, decrypt,
/// and compare with the virtual library and with the clear Swift function.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile a small program with a float subgraph and a tensor lookup, run it in FHE, check it.")

    @OptionGroup var threadOption: ThreadOption
    var threads: Int? { threadOption.threads }

    /// The program, in plain Swift: round(7·sin(x) + 7) and (v·v) mod 13 on a 4-element vector.
    static func clear(_ x: Int, _ v: [Int]) -> [Int] {
        [Int((7 * Foundation.sin(Double(x)) + 7).rounded(.toNearestOrEven))] + v.map { $0 * $0 % 13 }
    }

    func run() throws {
        print("swift-fhe demo: f(x, v) = [round(7·sin(x) + 7)] ++ (v·v mod 13), x a 4-bit integer, v four of them\n")
        let compiler = Compiler(["x": .encrypted, "v": .encrypted]) { args in
            let wave = (7 * sin(args[0]) + 7).rounded().toInt()
            let squares = (args[1] * args[1]) % 13
            return concatenate([wave.reshaped([1]), squares])
        }
        let inputset = (0..<16).map { i in [Tensor(i), Tensor([i, (i + 3) % 16, (i * 5) % 16, 15 - i], shape: [4])] }
        let (circuit, compileTime) = try measure { try compiler.compile(inputset: inputset) }
        print(circuit.graph)
        let statistics = circuit.statistics
        print("""

            compile:   \(milliseconds(compileTime))
            lookups:   \(statistics.programmableBootstrapCount) KS + PBS per run, widest input \(statistics.maxBitWidth) bits
            params:    \(statistics.parameters)
            failure:   \(String(format: "%.1e", statistics.globalPError)) per run (predicted)
            keys:      bootstrapping \(mebibytes(statistics.bootstrapKeyBytes)), keyswitching \(mebibytes(statistics.keySwitchKeyBytes))
            """)

        let (_, keygenTime) = try measure { try circuit.keygen() }
        print("keygen:    \(milliseconds(keygenTime))\n")
        var mismatches = 0
        for (x, v) in [(3, [1, 7, 12, 15]), (11, [0, 5, 9, 14]), (6, [2, 4, 8, 13])] {
            let arguments = [Tensor(x), Tensor(v, shape: [4])]
            let (encrypted, encryptTime) = try measure { try circuit.encrypt(arguments: arguments) }
            let (result, runTime) = try measure { try circuit.run(encrypted, threads: threads) }
            let (decrypted, decryptTime) = try measure { try circuit.decrypt(result) }
            let (simulated, simulateTime) = try measure { try circuit.simulate(arguments: arguments) }
            let expected = Tensor(Self.clear(x, v), shape: [5])
            let ok = decrypted == expected && simulated == expected
            if !ok { mismatches += 1 }
            print("x = \(x), v = \(v)")
            print("  FHE \(decrypted), simulate \(simulated), Swift \(expected)  \(ok ? "✓" : "✗")")
            print("  encrypt \(milliseconds(encryptTime)), run \(milliseconds(runTime)), decrypt \(milliseconds(decryptTime)), "
                + "simulate \(milliseconds(simulateTime))")
        }
        print(mismatches == 0 ? "\nall FHE results match the virtual library and the clear Swift function"
                              : "\n\(mismatches) runs differ")
        if mismatches > 0 { throw ExitCode(1) }
    }
}
