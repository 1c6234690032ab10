/// Radix decomposition in FHE, the `decompose` instruction: an encrypted value of a w-bit type
/// split into m chunks of c bits, chunk j < m − 1 holding bits [jc, jc + c) (unsigned) and the
/// top chunk ⌊v / 2^((m−1)c)⌋ (signed when v is), so that v = Σⱼ chunkⱼ·2^(jc). Each chunk is
/// a small value of the destination's own type, which later lookups combine two at a time
/// (chunked comparisons, bitwise operations, shifts and products of wide integers).
///
/// The runtime clears the lower chunks' bits with the steps of an exact rounding
/// (`RoundingStep`, without its half offset): each step's PBS give that step's bits, at the
/// input's scale to subtract from it and, multiplied by a power of two, at the chunk's scale.
/// A PBS writes at whichever of the two scales is finer, and the product brings it to the other,
/// so no division is ever needed. The top chunk is then one lookup of what remains, which reads
/// w − (m−1)c bits like a lookup of a rounded value.
public struct Decomposition: Sendable, Hashable {
    /// Bits per chunk (the top chunk holds the rest).
    public let chunkBits: Int
    /// Chunks, the top one included.
    public let chunkCount: Int

    public init(chunkBits: Int, chunkCount: Int) {
        self.chunkBits = chunkBits
        self.chunkCount = chunkCount
    }

    /// The chunk count that splits a `width`-bit value into chunks of `chunkBits`, the top one
    /// holding 1 to `chunkBits` bits.
    public static func chunkCount(width: Int, chunkBits: Int) -> Int { max(1, (width + chunkBits - 1) / chunkBits) }

    /// Bits below the top chunk.
    public var topLow: Int { (chunkCount - 1) * chunkBits }

    /// The chunks of `value`, the lowest first.
    public func chunks(of value: Int64) -> [Int64] {
        (0..<chunkCount).map { j in
            j == chunkCount - 1 ? value >> Int64(topLow) : (value >> Int64(j * chunkBits)) & ((1 << Int64(chunkBits)) - 1)
        }
    }

    /// The rounding steps that clear lower chunk `j`'s bits, `bitsPerStep` at a time.
    public func steps(ofChunk j: Int, bitsPerStep: Int) -> [RoundingStep] {
        RoundingStep.steps(lsbsToRemove: chunkBits, bitsPerStep: bitsPerStep).map {
            RoundingStep(low: j * chunkBits + $0.low, count: $0.count)
        }
    }

    /// PBS per element: the lower chunks' steps and the top chunk's lookup.
    public func bootstrapCount(bitsPerStep: Int) -> Int {
        (chunkCount - 1) * RoundingStep.bootstrapCount(lsbsToRemove: chunkBits, bitsPerStep: bitsPerStep) + 1
    }

    /// The type the top chunk's lookup reads, for an input of `type`.
    public func topInputType(_ type: IntegerType) -> IntegerType { type.narrowed(by: topLow) }

    /// The destination's shape for an input of `shape`: the chunks on a new first axis.
    public func shape(ofInput shape: [Int]) -> [Int] { [chunkCount] + shape }
}

extension Decomposition {
    /// The decomposition a `decompose` instruction writing a register of `shape` performs.
    public init(chunkBits: Int, destinationShape shape: [Int]) {
        self.init(chunkBits: chunkBits, chunkCount: shape.first ?? 0)
    }
}

extension Decomposition {
    /// What FHE gives for an input's encoding (modulo 2^(w+1)): the lower chunks are its bits,
    /// the top one the lookup of what remains (negated when its padding bit is set, like any
    /// lookup), wrapped into `chunkType`.
    public func encodedChunks(of encoding: Int64, inputType: IntegerType, chunkType: IntegerType) -> [Int64] {
        let top = topInputType(inputType), half = Int64(1) << top.width
        let index = top.encode((encoding >> Int64(topLow)) + top.lookupOffset)
        let value = chunkType.wrapping(top.value(ofEntry: index < half ? index : index - half))
        return chunks(of: encoding).dropLast() + [index < half ? value : chunkType.wrapping(0 &- value)]
    }
}
