import FHEProgram

/// Approximate roundings (`RoundingExactness.approximate`): where they may stay approximate, and
/// the bounds they give.
extension LoweredProgram {
    /// Makes exact every approximate rounding that something other than a lookup reads (or that
    /// is the result): only a lookup reads the top bits alone.
    mutating func keepApproximateRoundingsBeforeLookups() {
        let readByOthers = program.registersReadOutsideLookups
        for (position, instruction) in program.instructions.enumerated() {
            guard case let .round(destination, input, lsbs, RoundingStep.approximate) = instruction,
                  readByOthers.contains(destination) else { continue }
            program.instructions[position] = .round(destination, input, lsbsToRemove: lsbs, bitsPerStep: lsbs)
        }
    }

    /// Widens the bounds of each approximate rounding to the multiples of 2^lsbs below and above
    /// its input's: in FHE the lookup may read either neighbour, so the type must hold both (the
    /// top one keeps the input's phase below the centre of the last box, away from the wrap).
    func widenApproximateRoundings(_ bounds: inout [ClosedRange<Int64>?]) {
        for case let .round(destination, input, lsbs, RoundingStep.approximate) in program.instructions {
            guard let range = bounds[input] else { continue }
            let step = Int64(1) << lsbs
            let low = (range.lowerBound >> lsbs) << lsbs
            let (sum, overflow) = range.upperBound.addingReportingOverflow(step - 1)
            let high = overflow ? Int64.max : (sum >> lsbs) << lsbs
            bounds[destination] = low...high
        }
    }
}
