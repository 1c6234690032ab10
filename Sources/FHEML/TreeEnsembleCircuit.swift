import FHECompiler

/// The integer form of a tree ensemble (one tree, a forest, boosted trees), Hummingbird's GEMM
/// strategy as Concrete ML applies it, every tree of the ensemble in the same steps:
///
/// 1. **comparisons**: the quantized feature of each split, gathered by a 0/1 matrix S
///    (features × splits, levelled), is compared with its quantized threshold: c = (x·S ≤ t),
///    one lookup per split (a table per split, batched);
/// 2. **paths**: with the path matrix P (splits × leaves: +1 where the leaf lies left of the
///    split, −1 right, 0 elsewhere) and the count n_l of left turns to leaf l, d = c·P − n is 0
///    exactly at the leaf a row reaches, and negative (down to −depth) at every other (levelled);
/// 3. **values**, in one of two forms, the cheaper chosen at compile time (`Strategy`):
///    - `leafTables`: for each output k, one lookup per leaf with its own table (`LookupTables`):
///      v_lk at d_l = 0 and 0 below. The sum over leaves adds PBS outputs with weight 1, so the
///      decryption needs little precision beyond the result's;
///    - `leafIndicators`: one equality lookup per leaf (d_l == 0), then the levelled product
///      with the leaf values V: fewer lookups for many outputs, but V's weights amplify the
///      PBS noise that the client's decryption must tolerate.
///
/// The sums over leaves and trees happen in the circuit; the client decrypts one score per
/// output. A split's threshold t becomes the largest quantized feature value whose real value is
/// ≤ t, so the quantized ensemble takes the same branch as the float one on quantized inputs.
/// Leaf values are shifted by a constant per output to be ≥ 0; the decoding's offsets undo it.
enum TreeEnsembleCircuit {
    /// How the leaf values are read (see the type's documentation).
    enum Strategy: String, CaseIterable, Sendable { case leafTables, leafIndicators }

    /// The low bits each comparison's input may lose before its lookup (`comparisons`), tried in
    /// turn when the model does not fix them: every choice is exact, the compiler's cost decides.
    static let comparisonRoundings = [0, 2, 3]

    /// The candidate roundings for `nBits` features: a model's `roundingThresholdBits` m fixes
    /// r = nBits + 1 − m (the comparison's input, x − a − 2^(r−1), has about nBits + 1 bits), nil
    /// leaves the choice to the compiler's cost.
    /// - Throws: `MLError.invalidParameter` for m outside 1…nBits + 1.
    static func roundings(nBits: Int, thresholdBits: Int?) throws -> [Int] {
        guard let thresholdBits else { return comparisonRoundings }
        guard (1...nBits + 1).contains(thresholdBits) else {
            throw MLError.invalidParameter("roundingThresholdBits must be 1…\(nBits + 1) for \(nBits)-bit features, got \(thresholdBits)")
        }
        return [nBits + 1 - thresholdBits]
    }

    /// The ensemble's splits and leaves, flattened over its trees.
    private struct Layout {
        var splits = [(feature: Int, threshold: Int64)]()
        /// Per leaf, the splits on its path and the side taken (+1 left, −1 right).
        var paths = [[(split: Int, sign: Int64)]]()
        /// Per leaf, its integer value for each output.
        var values = [[Int64]]()
    }

    /// The integer models of the ensemble, one per strategy.
    /// - Parameters:
    ///   - leafValues: each tree's leaves' integer outputs, by node index.
    ///   - complement: for two outputs whose values add up to `complement` per tree, only the
    ///     second is read; the first is the trees' total minus it (levelled).
    ///   - thresholdBits: the model's `roundingThresholdBits` (`roundings`).
    /// - Throws: `MLError.invalidData` when a split tests a feature the inputs do not have.
    static func integerModels(trees: [DecisionTree], inputs: [Quantizer], leafValues: [[Int: [Int64]]],
                              decoding: OutputDecoding, complement: Int64? = nil,
                              thresholdBits: Int?) throws -> [IntegerModel] {
        guard let largest = trees.map(\.largestFeature).max(), largest < inputs.count else {
            throw MLError.invalidData("the trees test feature \(trees.map(\.largestFeature).max() ?? 0), the rows have \(inputs.count)")
        }
        let bits = inputs.map(\.bits).max() ?? 0, roundings = try Self.roundings(nBits: bits, thresholdBits: thresholdBits)
        var layout = Layout()
        for (tree, values) in zip(trees, leafValues) {
            func walk(_ index: Int, _ route: [(split: Int, sign: Int64)]) {
                let node = tree.nodes[index]
                guard let feature = node.feature else {
                    layout.values.append(values[index]!)
                    layout.paths.append(route)
                    return
                }
                let split = layout.splits.count
                layout.splits.append((feature, quantizedThreshold(node.threshold, inputs[feature])))
                walk(node.left, route + [(split, 1)])
                walk(node.right, route + [(split, -1)])
            }
            walk(0, [])
        }
        // Leaf values ≥ 0: each output shifted by its most negative leaf value, undone by the decoding.
        let outputs = decoding.outputCount
        let shifts = (0..<outputs).map { k in max(0, -(layout.values.map { $0[k] }.min() ?? 0)) }
        layout.values = layout.values.map { row in row.indices.map { row[$0] + shifts[$0] } }
        let shifted = try OutputDecoding(scales: decoding.scales,
                                         offsets: decoding.offsets.indices.map { decoding.offsets[$0] + Double(shifts[$0] * Int64(trees.count)) },
                                         biases: decoding.biases, postProcessing: decoding.postProcessing)
        let read = complement != nil && outputs == 2 ? [1] : Array(0..<outputs)
        let total = (complement ?? 0) * Int64(trees.count)
        let candidates = Strategy.allCases.flatMap { strategy in roundings.filter { $0 <= bits }.map { (strategy, $0) } }
        return candidates.map { strategy, rounding in
            let trace = self.trace(layout, features: inputs.count, read: read, strategy: strategy, rounding: rounding)
            let complemented: @Sendable (Tracer) throws -> Tracer
            if read.count == outputs {
                complemented = trace
            } else {
                complemented = { x in
                    let second = try trace(x)
                    let first: Tracer = Tensor(int64: [total], shape: [1]) - second
                    return concatenate([first, second])
                }
            }
            let evaluated = layout
            return IntegerModel(inputQuantizers: inputs, decoding: shifted, trace: complemented,
                                evaluate: { x in evaluate(x, evaluated, outputs: outputs) },
                                extremeInputs: [inputs.map { Int64($0.minimum) }, inputs.map { Int64($0.maximum) }],
                                advice: "Each split is a lookup of a \(inputs.map(\.bits).max() ?? 0)-bit feature and each leaf's sum is "
                                    + "decrypted: lower nBits, or use fewer or shallower trees.")
        }
    }

    /// The traced circuit of `strategy` reading outputs `read`, its comparisons rounded by `rounding` bits.
    private static func trace(_ layout: Layout, features: Int, read: [Int], strategy: Strategy,
                              rounding: Int) -> @Sendable (Tracer) throws -> Tracer {
        let splits = layout.splits, leaves = layout.values.count
        let selection = Tensor(int64: (0..<features).flatMap { f in splits.map { $0.feature == f ? 1 : 0 } }, shape: [features, splits.count])
        let comparisons = self.comparisons(splits.map(\.threshold), rounding: rounding)
        let pathMatrix = Tensor(int64: (0..<splits.count).flatMap { s in layout.paths.map { route in route.first { $0.split == s }?.sign ?? 0 } },
                                shape: [splits.count, leaves])
        let leftTurns = Tensor(int64: layout.paths.map { route in Int64(route.count { $0.sign == 1 }) }, shape: [leaves])
        @Sendable func distances(_ x: Tracer) -> Tracer { matmul(comparisons(matmul(x, selection)), pathMatrix) - leftTurns }
        switch strategy {
        case .leafIndicators:
            let values = Tensor(int64: layout.values.flatMap { row in read.map { row[$0] } }, shape: [leaves, read.count])
            return { x in matmul(distances(x) == 0, values) }
        case .leafTables:
            // Table (k, l) over d_l ∈ [−depth, 0]: v_lk at 0, then 0 for −1 … −depth (from the end).
            let depth = layout.paths.map(\.count).max() ?? 0
            let tables = read.flatMap { k in layout.values.map { [Int($0[k])] + Array(repeating: 0, count: depth) } }
            let zeros = Tensor(int64: Array(repeating: 0, count: read.count * leaves), shape: [read.count, leaves])
            return { x in LookupTables(tables)[distances(x) + zeros].sum(axis: 1) }
        }
    }

    /// The comparisons c_s = (x_s ≤ t_s) of the gathered features x, exact whatever `rounding` r.
    /// With r = 0, one lookup of x_s (b bits). With r > 0 the lookup reads r bits fewer: the split's
    /// boundary t + 1 is moved onto a multiple of 2^r by subtracting a = (t + 1) mod 2^r, so that
    /// with v = x − a − 2^(r−1), roundBitPattern(v, r) = ⌊(x − a)/2^r⌋·2^r, which is ≤ t + 1 − a − 2^r
    /// exactly when x ≤ t. The rounding costs PBS of its own (`RoundingStep`) but at low
    /// precision, which a single parameter set for the whole circuit can make cheaper overall.
    private static func comparisons(_ thresholds: [Int64], rounding r: Int) -> @Sendable (Tracer) -> Tracer {
        guard r > 0 else {
            let bounds = Tensor(int64: thresholds, shape: [thresholds.count])
            return { x in x <= bounds }
        }
        let step = Int64(1) << r
        let moves = thresholds.map { ($0 + 1) % step }   // t ≥ −1, so t + 1 ≥ 0
        let shifts = Tensor(int64: moves.map { $0 + step / 2 }, shape: [thresholds.count])
        let bounds = Tensor(int64: zip(thresholds, moves).map { $0 + 1 - $1 - step }, shape: [thresholds.count])
        return { x in roundBitPattern(x - shifts, lsbsToRemove: r) <= bounds }
    }

    /// The largest quantized value q with dequantize(q) ≤ t (q ≤ that iff the float rule holds on
    /// quantized values), clipped to one below the type's range and its top.
    static func quantizedThreshold(_ threshold: Double, _ quantizer: Quantizer) -> Int64 {
        let raw = (threshold / quantizer.scale + Double(quantizer.zeroPoint)).rounded(.down)
        return Int64(min(max(raw, Double(quantizer.minimum - 1)), Double(quantizer.maximum)))
    }

    /// The same computation in plain Swift.
    private static func evaluate(_ x: [Int64], _ layout: Layout, outputs: Int) -> [Int64] {
        let comparisons = layout.splits.map { x[$0.feature] <= $0.threshold ? Int64(1) : 0 }
        var result = [Int64](repeating: 0, count: outputs)
        for (route, value) in zip(layout.paths, layout.values)
        where route.allSatisfy({ comparisons[$0.split] == ($0.sign == 1 ? 1 : 0) }) {
            for k in 0..<outputs { result[k] += value[k] }
        }
        return result
    }
}
