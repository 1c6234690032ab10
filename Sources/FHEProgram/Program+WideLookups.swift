import FHEParameters

extension Program {
    /// The elements of the wide lookups (inputs wider than one PBS: `Limits.isWideLookup`), by
    /// input width, for the types each lookup reads (`lookupInputTypes`).
    public func wideLookupElements(lookupTypes: [Int: IntegerType]) -> [Int: Int] {
        var elements = [Int: Int]()
        for case let .lookup(destination, _, _) in instructions {
            guard let bits = lookupTypes[destination]?.width, Limits.isWideLookup(bits: bits) else { continue }
            elements[bits, default: 0] += Tensor.elementCount(of: registers[destination].shape)
        }
        return elements
    }

    /// The keyswitches + PBS one run performs: `bootstrapCount` with each wide lookup element's
    /// one PBS replaced by `bootstrapsPerBit` per bit (many-LUT PBS for its bit extraction and
    /// circuit bootstrapping, `ServerKey.wideLookup`).
    public func bootstrapCount(lookupTypes: [Int: IntegerType], bootstrapsPerBit: Int) -> Int {
        wideLookupElements(lookupTypes: lookupTypes).reduce(bootstrapCount) { count, wide in
            count + wide.value * (wide.key * bootstrapsPerBit - 1)
        }
    }
}
