import FHECompiler
import FHEOptimizer
import FHEProgram
import FHERuntime
import Foundation

/// The FHE assistant's report on a compiled model, before any key exists: what each stage of
/// the circuit reads and computes (one line per lookup instruction, a network's layer: its
/// input range and width, the rounding, the lookup width, PBS and predicted time), the PBS
/// count, the predicted latency and the key sizes.
public struct ModelReport: Sendable, CustomStringConvertible {
    /// The printable report (stable text: tests compare it).
    public let text: String

    public var description: String { text }

    /// The report of `model`'s circuit.
    /// - Throws: `MLError.notReady` before `compile`.
    public init(_ model: some FHEModel) throws {
        let compiled = try model.readyModel()
        let circuit = compiled.circuit, statistics = circuit.statistics, program = circuit.compiled.program
        let types = circuit.compiled.registerTypes
        var lines = ["\(String(describing: type(of: model))): \(compiled.inputQuantizers.count) features → "
            + "\(compiled.decoding.outputCount) outputs (\(compiled.decoding.postProcessing.name) on the client)"]
        let widths = Set(compiled.inputQuantizers.map(\.bits)).sorted().map(String.init).joined(separator: ", ")
        lines.append("inputs: \(widths)-bit unsigned, quantized on the client")
        // Lookups grouped by input width, in program order.
        var groups = [(bits: Int, count: Int)]()
        for (destination, type) in program.lookupInputTypes(registerTypes: types).sorted(by: { $0.key < $1.key }) {
            let count = program.registers[destination].elementCount
            if let last = groups.last, last.bits == type.width { groups[groups.count - 1].count += count }
            else { groups.append((type.width, count)) }
        }
        lines.append(groups.isEmpty ? "lookups: none (a levelled circuit: the client decrypts the accumulators)"
            : "lookups: " + groups.map { "\($0.count) × \($0.bits)-bit" }.joined(separator: ", "))
        let milliseconds = CostModel.predictedMilliseconds(statistics.parameters)
        for stage in circuit.compiled.lookupStages {
            let rounding = stage.roundedBits == 0 ? "" : ", rounded by \(stage.roundedBits) bits (\(stage.isApproximate ? "approximate" : "exact"))"
            lines.append("  \(stage.name): \(stage.elements) × input \(stage.inputRange.lowerBound)…\(stage.inputRange.upperBound) "
                + "(\(stage.accumulatorBits) bits)\(rounding), \(stage.lookupBits)-bit lookup: \(stage.bootstrapCount) PBS, "
                + "predicted \(String(format: "%.0f", Double(stage.bootstrapCount) * milliseconds)) ms")
        }
        let widest = types.indices.filter { program.registers[$0].isEncrypted }.compactMap { types[$0]?.width }.max() ?? 0
        lines.append("accumulators: widest \(widest) bits; result \(circuit.compiled.typeDescription(ofRegister: program.result))")
        lines.append("PBS per sample: \(statistics.programmableBootstrapCount) (widest input \(statistics.maxBitWidth) bits), "
            + "predicted \(String(format: "%.0f", Double(statistics.programmableBootstrapCount) * milliseconds)) ms on one thread")
        let p = statistics.parameters
        lines.append("parameters: n=\(p.lweDimension) k=\(p.glweDimension) N=\(p.polynomialSize), "
            + "global failure probability \(String(format: "%.1e", statistics.globalPError))")
        lines.append("keys: evaluation keys \(Self.megabytes(statistics.bootstrapKeyWireBytes + statistics.keySwitchKeyWireBytes)) on the wire, "
            + "\(Self.megabytes(statistics.bootstrapKeyBytes + statistics.keySwitchKeyBytes)) in the server's memory")
        text = lines.joined(separator: "\n")
    }

    private static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }
}

/// Where the three modes agree or not, sample by sample (concrete-ml #875: users cannot tell).
public struct ModeComparison: Sendable, CustomStringConvertible {
    /// For each sample: the outputs of `.disable`, `.simulate` and `.execute` (nil where not run).
    public let outputs: [(disable: [Double], simulate: [Double], execute: [Double]?)]

    /// Runs `rows` in the clear and simulated, and the first `encrypted` of them in FHE.
    public init(_ model: some FHEModel, rows: [[Double]], encrypted: Int) throws {
        let compiled = try model.readyModel()
        let disable = try compiled.outputs(rows, mode: .disable), simulate = try compiled.outputs(rows, mode: .simulate)
        let execute = try compiled.outputs(Array(rows.prefix(encrypted)), mode: .execute)
        outputs = rows.indices.map { (disable[$0], simulate[$0], $0 < execute.count ? execute[$0] : nil) }
    }

    /// The samples where some mode gives another output than `.disable`.
    public var divergent: [Int] {
        outputs.indices.filter { index in
            let sample = outputs[index]
            return sample.simulate != sample.disable || (sample.execute.map { $0 != sample.disable } ?? false)
        }
    }

    public var description: String {
        let run = outputs.count { $0.execute != nil }
        guard !divergent.isEmpty else {
            return "disable = simulate on all \(outputs.count) samples; = execute on the \(run) encrypted"
        }
        return divergent.map { index in
            let o = outputs[index]
            return "sample \(index): disable \(o.disable), simulate \(o.simulate), execute \(o.execute.map { "\($0)" } ?? "not run")"
        }.joined(separator: "\n")
    }
}

extension OutputDecoding.PostProcessing {
    /// The name in reports.
    var name: String {
        switch self {
        case .identity: "identity"
        case .sigmoid: "sigmoid"
        case .softmax: "softmax"
        case .normalize: "normalisation"
        case .logSoftmax: "log-softmax"
        case .maximum: "maximum"
        }
    }
}
