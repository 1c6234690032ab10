import FHEDeployment
import FHEML
import Foundation
import Testing
import TestSupport

@Suite("Models deployed through files, and the assistant")
struct MLDeploymentTests {
    static func makeModel() throws -> LogisticRegression {
        let model = LogisticRegression(nBits: 8)
        try model.fit(Splits.breastCancer.train, Splits.breastCancer.trainLabels)
        try model.compile(Splits.breastCancer.train)
        return model
    }

    @Test("a model served through files gives predict(fhe: .execute)'s probabilities")
    func throughFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fheml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try Self.makeModel(), rows = Array(Splits.breastCancer.test.prefix(3))
        try model.server.save(to: folder.appendingPathComponent("server.bin"))
        try model.clientSpecs.serialized().write(to: folder.appendingPathComponent("specs.bin"))

        let server = try Server.load(from: folder.appendingPathComponent("server.bin"))
        let client = ModelClient(specs: try ModelClientSpecs(serialized: Data(contentsOf: folder.appendingPathComponent("specs.bin"))))
        try client.keygen()
        try client.evaluationKeys.serialized().write(to: folder.appendingPathComponent("keys.bin"))
        let keys = try server.evaluationKeys(serialized: Data(contentsOf: folder.appendingPathComponent("keys.bin")))
        let expected = try model.predictProbabilities(rows, fhe: .execute)
        for (row, probabilities) in zip(rows, expected) {
            let arguments = try EncryptedArguments(serialized: client.encrypt(row).serialized())
            let result = try EncryptedResult(serialized: server.run(arguments, evaluationKeys: keys).serialized())
            #expect(try client.decrypt(result) == probabilities)
        }
    }

    @Test("a tree served by fhec serve-file in a separate process gives predict(fhe: .execute)'s probabilities")
    func separateProcess() throws {
        let fhec = try #require(fhecExecutable(), "build fhec first (swift build)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fheml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = DecisionTreeClassifier(maxDepth: 3, nBits: 6), row = Splits.iris.test[0]
        try model.fit(Splits.iris.train, Splits.iris.trainLabels)
        try model.compile(Splits.iris.train)
        let files = ["server", "keys", "arguments", "result"].map { folder.appendingPathComponent("\($0).bin") }
        try model.server.save(to: files[0])
        let client = ModelClient(specs: try ModelClientSpecs(serialized: model.clientSpecs.serialized()))
        try client.keygen()
        try client.evaluationKeys.serialized().write(to: files[1])
        try client.encrypt(row).serialized().write(to: files[2])
        #expect(try serveFile(fhec: fhec, server: files[0], keys: files[1], arguments: files[2], result: files[3]) == 0)
        let probabilities = try client.decrypt(EncryptedResult(serialized: Data(contentsOf: files[3])))
        #expect(try probabilities == model.predictProbabilities([row], fhe: .execute)[0])
    }

    @Test("forged model specs are refused: a quantizer wider than the circuit's input, a truncation, a wrong kind, an oversized count")
    func forgedSpecs() throws {
        let specs = try Self.makeModel().clientSpecs
        // The circuit's input shares the accumulator's type (int20 here): 24 bits do not fit it.
        let wide = try Quantizer(bits: 24, isSigned: false, scale: 1, zeroPoint: 0)
        #expect(throws: MLError.self) {
            try ModelClientSpecs(circuit: specs.circuit, inputQuantizers: [wide] + specs.inputQuantizers.dropFirst(), decoding: specs.decoding)
        }
        let bytes = specs.serialized()
        #expect(try ModelClientSpecs(serialized: bytes) == specs)
        #expect(throws: (any Error).self) { try ModelClientSpecs(serialized: bytes.dropLast()) }
        #expect(throws: DeserializationError.self) { try ModelClientSpecs(serialized: specs.circuit.serialized()) }
        // A quantizer count of 2^40 right after the circuit's specs: refused before any allocation.
        var oversized = [UInt8](bytes)
        let circuitBytes = [UInt8](specs.circuit.serialized())
        let start = try #require((0...(oversized.count - circuitBytes.count)).first { Array(oversized[$0..<$0 + circuitBytes.count]) == circuitBytes })
        withUnsafeBytes(of: (UInt64(1) << 40).littleEndian) { oversized.replaceSubrange(start + circuitBytes.count..<start + circuitBytes.count + 8, with: $0) }
        #expect(throws: DeserializationError.self) { try ModelClientSpecs(serialized: Data(oversized)) }
        #expect(throws: MLError.self) { try ModelClient(specs: specs).encrypt([1, 2]) }
    }

    @Test("the assistant's report before keygen, and the modes compared sample by sample")
    func report() throws {
        let model = try LogisticRegression(coefficients: [[1.5], [-2.0]], intercepts: [0.25], nBits: 4)
        let rows: [[Double]] = [[0, 1], [1, 0], [0.5, 0.5], [-1, 2]]
        try model.compile(rows)
        #expect(try ModelReport(model).text == """
            LogisticRegression: 2 features → 1 outputs (sigmoid on the client)
            inputs: 4-bit unsigned, quantized on the client
            lookups: none (a levelled circuit: the client decrypts the accumulators)
            accumulators: widest 8 bits; result EncryptedTensor<int8, shape=(1,)>
            PBS per sample: 0 (widest input 1 bits), predicted 0 ms on one thread
            parameters: n=602 k=5 N=256, global failure probability 0.0e+00
            keys: evaluation keys 7.4 MB on the wire, 62.9 MB in the server's memory
            """)
        let comparison = try ModeComparison(model, rows: rows, encrypted: 2)
        #expect(comparison.divergent.isEmpty && comparison.description == "disable = simulate on all 4 samples; = execute on the 2 encrypted")
        #expect(throws: MLError.self) { try ModelReport(LogisticRegression()) }
    }
}
