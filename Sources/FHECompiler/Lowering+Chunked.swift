import FHEProgram

/// Chunked lowering of operations of two encrypted values (`MultivariateStrategy.chunked`), for
/// operands too wide for one lookup or where small PBS are cheaper:
///
/// | operation | lowering | PBS per element (m chunks) |
/// |---|---|---|
/// | x < y, x ≤ y, x > y, x ≥ y | round(x − y − δ − 2^(k−1), k): 2^k·⌊(x − y − δ)/2^k⌋, whose sign is that of x − y − δ (δ = 1 for ≤ and >); one lookup of its c-bit top | the rounding's + 1 |
/// | x == y, x != y | (x < y) + (x > y), and 1 minus that | twice a comparison |
/// | minimum, maximum | d = x − y split into chunks Dⱼ; s = [D_top < 0]; min(d, 0) = Σⱼ lookup(s·2^c + Dⱼ) + lookup(D_top); y + min(d, 0), x − min(d, 0) | 3m |
/// | x & y, x \| y, x ^ y | both split; Σⱼ lookup(Xⱼ packed with Yⱼ) = op(Xⱼ, Yⱼ)·2^(jc) | 2(2m − 1) + m |
/// | x << y, x >> y | x split, y as one chunk; Σⱼ lookup(Xⱼ packed with y) = (Xⱼ·2^(jc)) shifted by y | 2m + m |
/// | x · y | both split; Σᵢⱼ lookup(Xᵢ + Yⱼ) − lookup(Xᵢ − Yⱼ) with ⌊v²/4⌋·2^(c(i+j)) | decompositions + 2·mₓ·m_y |
///
/// Each returns nil when the operands are narrow enough that one lookup reads no more than
/// c + 1 bits: the one-lookup lowering is then as small and cheaper.
extension Graph {
    func lowerChunked(_ operation: BinaryOperation, node index: Int, _ x: Int, _ y: Int, chunkBits c: Int,
                      ranges: [Int: ClosedRange<Int64>], into builder: inout LoweringBuilder) throws -> Int? {
        guard let rx = ranges[nodes[index].inputs[0].index], let ry = ranges[nodes[index].inputs[1].index] else { return nil }
        let shape = nodes[index].shape
        switch operation {
        case .less, .lessEqual, .greater, .greaterEqual:
            return compare(operation, x, y, rx, ry, chunkBits: c, node: index, into: &builder)
        case .equal, .notEqual:
            guard let less = compare(.less, x, y, rx, ry, chunkBits: c, node: index, into: &builder),
                  let greater = compare(.greater, x, y, rx, ry, chunkBits: c, node: index, into: &builder) else { return nil }
            let different = builder.combine(Program.Instruction.add, less, greater, shape: shape, node: index)
            guard operation == .equal else { return different }
            return builder.combine(Program.Instruction.subtract, builder.constant(1, node: index), different, shape: shape, node: index)
        case .minimum, .maximum:
            let difference = (rx.lowerBound - ry.upperBound)...(rx.upperBound - ry.lowerBound)
            let width = IntegerType.covering(hull([rx, ry, difference, ranges[index] ?? rx])).width
            let m = Decomposition.chunkCount(width: width, chunkBits: c)
            guard m > 1 else { return nil }
            let d = builder.combine(Program.Instruction.subtract, x, y, shape: shape, node: index)
            let chunks = builder.decompose(d, chunkBits: c, count: m, node: index)
            let top = chunks[m - 1], topLow = Int64((m - 1) * c)
            let negative = builder.lookup(top, node: index) { _, v in v < 0 ? 1 : 0 }
            var terms = chunks.dropLast().enumerated().map { j, chunk in
                let packed = builder.combine(Program.Instruction.add, builder.scaled(negative, by: 1 << Int64(c), node: index), chunk,
                                             shape: shape, node: index)
                return builder.lookup(packed, node: index) { _, p in p >> Int64(c) != 0 ? (p & ((1 << Int64(c)) - 1)) << Int64(j * c) : 0 }
            }
            terms.append(builder.lookup(top, node: index) { _, v in min(v, 0) << topLow })
            let negativePart = builder.sum(terms, node: index)   // min(x − y, 0)
            return operation == .minimum
                ? builder.combine(Program.Instruction.add, y, negativePart, shape: shape, node: index)
                : builder.combine(Program.Instruction.subtract, x, negativePart, shape: shape, node: index)
        case .bitwiseAnd, .bitwiseOr, .bitwiseXor:
            let m = Decomposition.chunkCount(width: max(IntegerType.covering(rx).width, IntegerType.covering(ry).width), chunkBits: c)
            guard m > 1 else { return nil }
            let xs = builder.decompose(x, chunkBits: c, count: m, node: index), ys = builder.decompose(y, chunkBits: c, count: m, node: index)
            let terms = (0..<m).map { j in
                builder.packedLookup(xs[j], chunkRange(rx, j, m, c), ys[j], chunkRange(ry, j, m, c), shape: shape, node: index) { a, b in
                    try Evaluator.integer(operation, a, b) << Int64(j * c)
                }
            }
            return builder.sum(terms, node: index)
        case .leftShift, .rightShift:
            let m = Decomposition.chunkCount(width: IntegerType.covering(rx).width, chunkBits: c)
            guard m > 1 else { return nil }
            let xs = builder.decompose(x, chunkBits: c, count: m, node: index)
            let amount = builder.decompose(y, chunkBits: c, count: 1, node: index)[0]   // its own small encoding
            let terms = (0..<m).map { j in
                builder.packedLookup(xs[j], chunkRange(rx, j, m, c), amount, ry, shape: shape, node: index) { a, b in
                    try Evaluator.integer(operation, a << Int64(j * c), b)
                }
            }
            return builder.sum(terms, node: index)
        case .multiply:
            let mx = Decomposition.chunkCount(width: IntegerType.covering(rx).width, chunkBits: c)
            let my = Decomposition.chunkCount(width: IntegerType.covering(ry).width, chunkBits: c)
            guard mx > 1 || my > 1 else { return nil }
            let xs = builder.decompose(x, chunkBits: c, count: mx, node: index), ys = builder.decompose(y, chunkBits: c, count: my, node: index)
            var terms = [Int]()
            for i in 0..<mx {
                for j in 0..<my {
                    let shift = Int64((i + j) * c)
                    let quarterSquare: LookupFunction = { _, v in
                        let (square, overflow) = v.multipliedReportingOverflow(by: v)
                        if overflow || square >> 2 > Int64.max >> shift { throw EvaluationFailure("multiply overflows 64-bit integers") }
                        return (square >> 2) << shift   // ⌊v²/4⌋·2^(c(i+j))
                    }
                    let high = builder.lookup(builder.combine(Program.Instruction.add, xs[i], ys[j], shape: shape, node: index),
                                              node: index, quarterSquare)
                    let low = builder.lookup(builder.combine(Program.Instruction.subtract, xs[i], ys[j], shape: shape, node: index),
                                             node: index, quarterSquare)
                    terms.append(builder.combine(Program.Instruction.subtract, high, low, shape: shape, node: index))
                }
            }
            return builder.sum(terms, node: index)
        default:
            return nil
        }
    }

    /// x < y, x ≤ y, x > y or x ≥ y by the sign of x − y − δ rounded down to a c-bit top; nil
    /// when x − y − δ itself fits c + 1 bits.
    private func compare(_ operation: BinaryOperation, _ x: Int, _ y: Int, _ rx: ClosedRange<Int64>, _ ry: ClosedRange<Int64>,
                         chunkBits c: Int, node index: Int, into builder: inout LoweringBuilder) -> Int? {
        let delta: Int64 = operation == .lessEqual || operation == .greater ? 1 : 0
        let difference = (rx.lowerBound - ry.upperBound - delta)...(rx.upperBound - ry.lowerBound - delta)
        guard IntegerType.covering(difference).width > c + 1 else { return nil }
        // The levelled group holds x, y, the offset difference and its rounding: k leaves c bits of it.
        var k = IntegerType.covering(difference).width - c
        for _ in 0..<4 {
            let half = Int64(1) << Int64(k - 1)
            let offset = (difference.lowerBound - half)...(difference.upperBound - half)
            let rounded = ((difference.lowerBound >> Int64(k)) << Int64(k))...((difference.upperBound >> Int64(k)) << Int64(k))
            k = max(1, IntegerType.covering(hull([rx, ry, difference, offset, rounded])).width - c)
        }
        let shape = nodes[index].shape
        let d = builder.combine(Program.Instruction.subtract, x, y, shape: shape, node: index)
        let offset = builder.offset(d, by: -((1 << Int64(k - 1)) + delta), node: index)
        let rounded = builder.register(shape, encrypted: true, node: index)
        builder.emit(.round(rounded, offset, lsbsToRemove: k, bitsPerStep: k))   // exact; steps chosen later
        let isLess = operation == .less || operation == .lessEqual
        return builder.lookup(rounded, node: index) { _, r in (r < 0) == isLess ? 1 : 0 }
    }

    /// The range of chunk j of m of values in `range`: c bits below the top, the rest at the top.
    private func chunkRange(_ range: ClosedRange<Int64>, _ j: Int, _ m: Int, _ c: Int) -> ClosedRange<Int64> {
        j < m - 1 ? 0...((1 << Int64(c)) - 1) : (range.lowerBound >> Int64(j * c))...(range.upperBound >> Int64(j * c))
    }

    private func hull(_ ranges: [ClosedRange<Int64>]) -> ClosedRange<Int64> {
        ranges.map(\.lowerBound).min()!...ranges.map(\.upperBound).max()!
    }
}

extension LoweringBuilder {
    /// The chunks of `a` (`Decomposition`), each a register of `a`'s shape, the lowest first.
    mutating func decompose(_ a: Int, chunkBits: Int, count: Int, node: Int) -> [Int] {
        let shape = lowered.program.registers[a].shape
        let chunks = register(Decomposition(chunkBits: chunkBits, chunkCount: count).shape(ofInput: shape), encrypted: true, node: node)
        emit(.decompose(chunks, a, chunkBits: chunkBits, bitsPerStep: chunkBits))   // steps chosen later
        return (0..<count).map { j in
            let chunk = register(shape, encrypted: true, node: node)
            emit(.index(chunk, chunks, j))
            return chunk
        }
    }

    /// One lookup of `a` and `b` packed as (a − min a)·2^w + (b − min b), w the bits of b's
    /// span, computing `function(a, b)`.
    mutating func packedLookup(_ a: Int, _ aRange: ClosedRange<Int64>, _ b: Int, _ bRange: ClosedRange<Int64>, shape: [Int], node: Int,
                               _ function: @escaping @Sendable (Int64, Int64) throws -> Int64) -> Int {
        let span = bRange.upperBound - bRange.lowerBound
        let w = Int64(span == 0 ? 0 : 64 - span.leadingZeroBitCount), (aLow, bLow) = (aRange.lowerBound, bRange.lowerBound)
        let high = scaled(offset(a, by: -aLow, node: node), by: 1 << w, node: node)
        let packed = combine(Program.Instruction.add, high, offset(b, by: -bLow, node: node), shape: shape, node: node)
        return lookup(packed, node: node) { _, p in try function((p >> w) + aLow, (p & ((1 << w) - 1)) + bLow) }
    }
}
