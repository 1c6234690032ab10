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

    /// The keyswitches + PBS one run performs when its wide lookups circuit-bootstrap with
    /// `circuitLevels` levels: `bootstrapCount` with each wide lookup element's one PBS replaced
    /// by its bit extraction (bits − 1) and circuit bootstrapping (bits·ℓ_cb).
    public func bootstrapCount(lookupTypes: [Int: IntegerType], circuitLevels: Int) -> Int {
        wideLookupElements(lookupTypes: lookupTypes).reduce(bootstrapCount) { count, wide in
            count + wide.value * (wide.key - 1 + wide.key * circuitLevels - 1)
        }
    }
}
