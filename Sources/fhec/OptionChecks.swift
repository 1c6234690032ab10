import ArgumentParser

/// Throws a `ValidationError` naming the option unless `value` lies in `range`. Numeric options
/// parse with `.unconditional`, so a negative number reaches this check instead of being read
/// as an option name.
func checkRange<T: Comparable & CustomStringConvertible>(_ option: String, _ value: T, _ range: ClosedRange<T>) throws {
    guard range.contains(value) else {
        throw ValidationError("\(option) must be in \(range.lowerBound)…\(range.upperBound), got \(value)")
    }
}

/// The most messages `fhec pbs` and `fhec check-params` bootstrap in one run: 2^16 (a GiB of
/// ciphertexts at N = 4096).
let maximumSampleCount = 1 << 16
