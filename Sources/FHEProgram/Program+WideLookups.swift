import FHEParameters

extension Program {
    /// The elements of the wide lookups (inputs of `narrowest` bits and more:
    /// `WideLookupParameters.isWide`), by input width, for the types each lookup reads (`lookupInputTypes`).
    public func wideLookupElements(lookupTypes: [Int: IntegerType], narrowest: Int) -> [Int: Int] {
        var elements = [Int: Int]()
        for case let .lookup(destination, _, _) in instructions {
            guard let bits = lookupTypes[destination]?.width, WideLookupParameters.isWide(bits: bits, narrowest: narrowest) else { continue }
            elements[bits, default: 0] += Tensor.elementCount(of: registers[destination].shape)
        }
        return elements
    }

    /// The keyswitches + PBS one run performs: `bootstrapCount` with each wide lookup element's
    /// one PBS replaced by `bootstrapsPerBit` per bit (many-LUT PBS for its bit extraction and
    /// circuit bootstrapping, `ServerKey.wideLookup`).
    public func bootstrapCount(lookupTypes: [Int: IntegerType], narrowest: Int, bootstrapsPerBit: Int) -> Int {
        wideLookupElements(lookupTypes: lookupTypes, narrowest: narrowest).reduce(bootstrapCount) { count, wide in
            count + wide.value * (wide.key * bootstrapsPerBit - 1)
        }
    }
}
