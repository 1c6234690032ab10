import FHECompiler

/// An encrypted tensor of a network's integer circuit: its integers q stand for the reals
/// scale·q + offset, element by element, and the univariate functions still `pending` on those
/// reals (activations wait for the next lookup, into which they fuse with the rescaling).
/// Scales and offsets per element make additions and multiplications by constants, padding,
/// concatenation and average pooling free: they change what the integers mean, not the
/// integers.
struct QuantizedValue {
    /// The step that computes the integers (`IntegerSteps`).
    let step: Int
    let shape: [Int]
    var scales: [Double]
    var offsets: [Double]
    var pending: [Activation] = []

    var count: Int { scales.count }

    /// The real value of each element for integers `q`, pending functions applied.
    func reals(_ q: [Int64]) -> [Double] {
        q.indices.map { e in pending.reduce(scales[e] * Double(q[e]) + offsets[e]) { value, function in function(value) } }
    }

    /// The one scale of all elements, if they share it.
    var uniformScale: Double? { scales.allSatisfy({ $0 == scales[0] }) ? scales[0] : nil }

    /// The scale of each channel (axis 0), if every channel's elements share theirs.
    var channelScales: [Double]? {
        let perChannel = count / max(shape.first ?? 1, 1)
        let channels = (0..<(shape.first ?? 1)).map { scales[$0 * perChannel] }
        return scales.indices.allSatisfy({ scales[$0] == channels[$0 / perChannel] }) ? channels : nil
    }
}

/// The integer circuit under construction: steps that each trace one operation from earlier
/// steps' tracers (step 0 is the circuit's input), so that any prefix can be traced again to
/// measure its integers on the calibration rows.
struct IntegerSteps: @unchecked Sendable {
    // The closures capture only constants (tensors, tables), never mutable state.
    private var steps: [(inputs: [Int], make: @Sendable ([Tracer]) -> Tracer)] = []
    /// The steps that end with a lookup: they start a new encoding (see `encodingGroups`).
    private(set) var lookups = Set<Int>()

    /// Adds a step reading the outputs of `inputs`; returns its number. `isLookup`: the step
    /// ends with a table lookup.
    mutating func add(_ inputs: [Int], isLookup: Bool = false, _ make: @escaping @Sendable ([Tracer]) -> Tracer) -> Int {
        steps.append((inputs, make))
        if isLookup { lookups.insert(steps.count) }
        return steps.count
    }

    var count: Int { steps.count + 1 }

    /// The step whose encoding each step shares (a representative): the compiler gives the
    /// encrypted values that levelled operations combine one integer type, so a lookup's input
    /// is as wide as the widest value of its group.
    func encodingGroups() -> [Int] {
        var parent = Array(0..<count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { x = parent[x] }
            return x
        }
        for (index, step) in steps.enumerated() {
            // A lookup step's rounding belongs to its input's group, its result to none yet.
            guard !lookups.contains(index + 1) else { continue }
            for input in step.inputs { parent[find(input)] = find(index + 1) }
        }
        return (0..<count).map(find)
    }

    /// Every step's integers on the circuit input `x`, flattened and joined: one evaluation gives
    /// them all.
    func allSteps(features: Int) throws -> (graph: Graph, sizes: [Int]) {
        var sizes = [Int]()
        let graph = try Compiler(["x": .encrypted]) { args in
            var tracers = [args[0]]
            for (inputs, make) in steps { tracers.append(make(inputs.map { tracers[$0] })) }
            sizes = tracers.map { $0.shape.reduce(1, *) }
            return concatenate(tracers.map { $0.reshaped([$0.shape.reduce(1, *)]) })
        }.trace(inputShapes: [[features]])
        return (graph, sizes)
    }

    /// The tracer of step `last`, tracing every step up to it on the input `x`.
    func trace(_ x: Tracer, upTo last: Int) -> Tracer {
        var tracers = [x]
        for (inputs, make) in steps.prefix(last) { tracers.append(make(inputs.map { tracers[$0] })) }
        return tracers[last]
    }

    /// The traced graph of steps up to `last` on inputs of `features` elements.
    func graph(upTo last: Int, features: Int) throws -> Graph {
        try Compiler(["x": .encrypted]) { self.trace($0[0], upTo: last) }.trace(inputShapes: [[features]])
    }
}
