/// Exact rounding in FHE, the `round` instruction. A value v of a w-bit type sits on the torus
/// as v·q/2^(w+1). Rounding k bits adds 2^(k−1), then clears the low k bits from the least
/// significant up, in steps. A step that clears c bits above `low` already cleared ones:
///
/// 1. multiplies the ciphertext by 2^(w+1−low−c), which brings those c bits to the top: the
///    phase becomes L·q/2^c for the c-bit value L, with no padding bit;
/// 2. bootstraps that through a constant table: the negacyclic wrap gives its sign, the top bit b
///    of L, returned at the value's scale as b·2^(low+c−1);
/// 3. when c ≥ 2, subtracts b (scaled alike) from the scaled ciphertext, leaving the low c − 1
///    bits of L with a padding bit, and bootstraps them to the value's scale;
/// 4. subtracts both results from the value.
///
/// The result r = u·2^k has the phase u·q/2^(w−k+1): a lookup of r is a lookup of a (w−k)-bit
/// value, which is what makes rounding worth it. A step of c bits needs PBS of c − 1 bits of
/// precision (the sign test's margin is half a box of a (c−1)-bit lookup) and costs 2 PBS where
/// clearing one bit per PBS (Concrete's way) costs c; the noise of the ciphertext entering a
/// step is amplified by 2^(w+1−low−c), so larger steps also amplify less.
///
/// Approximate rounding (`bitsPerStep` = `RoundingStep.approximate`) runs no PBS: the lookup of
/// the result reads the value's top width − k bits directly. Its boxes are centred on the
/// multiples of 2^k, so the lookup sees the nearest multiple, or, within noise of a box's edge,
/// the other neighbour: the result is v rounded down or up, never further (the noise constraint of
/// a (w−k)-bit lookup bounds that). Only lookups may read it; simulation rounds exactly.
public struct RoundingStep: Sendable, Hashable {
    /// The `bitsPerStep` of an approximate rounding.
    public static let approximate = 0

    /// Bits cleared before this step.
    public let low: Int
    /// Bits this step clears.
    public let count: Int

    /// The steps of rounding `lsbsToRemove` bits, `bitsPerStep` at a time from the bottom.
    /// None for an approximate rounding.
    public static func steps(lsbsToRemove: Int, bitsPerStep: Int) -> [RoundingStep] {
        guard bitsPerStep != approximate else { return [] }
        return stride(from: 0, to: lsbsToRemove, by: max(bitsPerStep, 1)).map {
            RoundingStep(low: $0, count: min(max(bitsPerStep, 1), lsbsToRemove - $0))
        }
    }

    /// PBS per element of a whole rounding: its steps' (none when approximate).
    public static func bootstrapCount(lsbsToRemove: Int, bitsPerStep: Int) -> Int {
        steps(lsbsToRemove: lsbsToRemove, bitsPerStep: bitsPerStep).map(\.bootstrapCount).reduce(0, +)
    }

    /// PBS per element: the sign, and the remainder when the step clears two bits or more.
    public var bootstrapCount: Int { count >= 2 ? 2 : 1 }
    /// The input precision of the sign PBS's (constant) table: c − 1 bits, at least 1.
    public var signBits: Int { max(count - 1, 1) }
    /// The input precision of the remainder PBS's table (when `count` ≥ 2).
    public var remainderBits: Int { count - 1 }
    /// log2 of the factor that brings the step's bits to the top, for a value of width `width`.
    public func scaleLog2(width: Int) -> Int { width + 1 - low - count }
}

extension Program {
    /// The registers that an instruction other than a lookup reads, and the result: where an
    /// approximate rounding may not be (`RoundingStep.approximate`).
    public var registersReadOutsideLookups: Set<Int> {
        var read = Set([result])
        for instruction in instructions {
            if case .lookup = instruction { continue }
            read.formUnion(instruction.operands)
        }
        return read
    }

    /// The type each lookup instruction reads (by destination register): its input register's
    /// type, narrowed by the low bits a rounding cleared when a `round` instruction wrote it.
    public func lookupInputTypes(registerTypes: [IntegerType?]) -> [Int: IntegerType] {
        var rounded = [Int: Int]()
        for case let .round(destination, _, lsbs, _) in instructions { rounded[destination] = lsbs }
        var types = [Int: IntegerType]()
        for case let .lookup(destination, input, _) in instructions {
            types[destination] = registerTypes[input]?.narrowed(by: rounded[input] ?? 0)
        }
        return types
    }
}

extension IntegerType {
    /// The type of v / 2^bits for values v that are multiples of 2^bits: a lookup of a rounded
    /// register reads it (same phase, `bits` fewer bits).
    public func narrowed(by bits: Int) -> IntegerType { IntegerType(isSigned: isSigned, width: width - bits) }
}
