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
            keys:      bootstrapping \(mebibytes(statistics.bootstrapKeyBytes)), keyswitching \(mebibytes(statistics.keySwitchKeyBytes)) in memory;
                       \(mebibytes(statistics.bootstrapKeyWireBytes)) and \(mebibytes(statistics.keySwitchKeyWireBytes)) on the wire (seeded)
            """)

        let (_, keygenTime) = try measure { try withProgress("keygen") { try circuit.keygen() } }
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
        if try !deployment(circuit) { mismatches += 1 }
        if try !modelDemo() { mismatches += 1 }
        if mismatches > 0 { throw ExitCode(1) }
    }

    /// The same circuit through the client/server split, every object through a file.
    private func deployment(_ circuit: Circuit) throws -> Bool {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swift-fhe-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])   // it holds the client's keys
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String) -> URL { folder.appendingPathComponent(name) }
        func size(_ name: String) throws -> String {
            let bytes = try FileManager.default.attributesOfItem(atPath: file(name).path)[.size] as? Int ?? 0
            return bytes < 1 << 20 ? "\(bytes) B" : mebibytes(bytes)
        }
        print("\nclient/server split, through files in \(folder.path):")

        // Server side: the artifact, no key.
        try circuit.server.save(to: file("server.fhe"))
        let server = try Server.load(from: file("server.fhe"))
        try server.clientSpecs.serialized().write(to: file("specs.fhe"))
        // Client side: specs in, keys made, evaluation keys and arguments out.
        let client = Client(specs: try ClientSpecs(serialized: Data(contentsOf: file("specs.fhe"))))
        let (_, keygenTime) = try measure { try withProgress("client keygen") { try client.keygen() } }
        try client.evaluationKeys.serialized().write(to: file("evaluation-keys.fhe"))
        try client.keys.save(to: file("client-keys.fhe"))   // mode 0600
        let arguments = [Tensor(9), Tensor([3, 14, 6, 10], shape: [4])]
        try client.encrypt(arguments: arguments).serialized().write(to: file("arguments.fhe"))
        // Server side: keys and arguments in, result out.
        let (keys, loadTime) = try measure {
            try withProgress("server key load") { try server.evaluationKeys(serialized: Data(contentsOf: file("evaluation-keys.fhe"))) }
        }
        let (result, runTime) = try measure {
            try server.run(EncryptedArguments(serialized: Data(contentsOf: file("arguments.fhe"))), evaluationKeys: keys, threads: threads)
        }
        try result.serialized().write(to: file("result.fhe"))
        // Client side, in a later session: saved keys, result in.
        var savedKeys = try Data(contentsOf: file("client-keys.fhe"))
        defer { savedKeys.withUnsafeMutableBytes { secureZero($0) } }   // the key bits, read in place by ClientKeys
        let later = Client(specs: client.specs, keys: try ClientKeys(serialized: savedKeys))
        let decrypted = try later.decrypt(EncryptedResult(serialized: Data(contentsOf: file("result.fhe"))))
        let expected = Tensor(Self.clear(9, [3, 14, 6, 10]), shape: [5])
        print("""
              files:     server \(try size("server.fhe")), specs \(try size("specs.fhe")), evaluation keys \(try size("evaluation-keys.fhe")),
                         client keys \(try size("client-keys.fhe")), arguments \(try size("arguments.fhe")), result \(try size("result.fhe"))
              client keygen \(milliseconds(keygenTime)), server key load \(milliseconds(loadTime)), server run \(milliseconds(runTime))
              x = 9, v = [3, 14, 6, 10]: FHE \(decrypted), Swift \(expected)  \(decrypted == expected ? "✓" : "✗")
            """)
        return decrypted == expected
    }
}
