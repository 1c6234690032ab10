/// An integer type of a circuit value: signed or not, and its width in bits.
public struct IntegerType: Sendable, Hashable, CustomStringConvertible {
    public let isSigned: Bool
    public let width: Int

    public init(isSigned: Bool, width: Int) {
        self.isSigned = isSigned
        self.width = width
    }

    /// The smallest type that holds every value of `range`.
    public static func covering(_ range: ClosedRange<Int64>) -> IntegerType {
        func bits(_ value: Int64) -> Int { 64 - value.leadingZeroBitCount }   // for value ≥ 0
        if range.lowerBound >= 0 { return IntegerType(isSigned: false, width: max(1, bits(range.upperBound))) }
        return IntegerType(isSigned: true, width: max(bits(-(range.lowerBound + 1)), bits(max(range.upperBound, 0))) + 1)
    }

    public var description: String { "\(isSigned ? "int" : "uint")\(width)" }

    /// `EncryptedScalar<uint4>`, `ClearTensor<int5, shape=(2, 3)>`: a value of this type, printed.
    public func description(shape: [Int], isEncrypted: Bool) -> String {
        let kind = (isEncrypted ? "Encrypted" : "Clear") + (shape.isEmpty ? "Scalar" : "Tensor")
        return shape.isEmpty ? "\(kind)<\(self)>"
            : "\(kind)<\(self), shape=(\(shape.map(String.init).joined(separator: ", "))\(shape.count == 1 ? "," : ""))>"
    }
}

extension IntegerType {
    /// The smallest value of the type.
    public var minimum: Int64 { isSigned ? -(1 << (width - 1)) : 0 }
    /// The largest value of the type.
    public var maximum: Int64 { isSigned ? (1 << (width - 1)) - 1 : (1 << width) - 1 }
    /// Whether `value` is of the type.
    public func contains(_ value: Int64) -> Bool { value >= minimum && value <= maximum }

    /// A value in its encoding: modulo 2^(width+1), in [0, 2^(width+1)).
    public func encode(_ value: Int64) -> Int64 {
        Int64(bitPattern: UInt64(bitPattern: value) & ((1 << UInt64(width + 1)) &- 1))   // two's complement: a mask
    }

    /// What decryption gives for an encoding: its low `width` bits, as this type.
    public func decode(_ encoding: Int64) -> Int64 {
        let low = encoding & ((1 << width) - 1)
        return isSigned && low >= 1 << (width - 1) ? low - (1 << width) : low
    }

    /// `value` modulo 2^width, as a value of this type (itself when the type contains it).
    public func wrapping(_ value: Int64) -> Int64 { decode(encode(value)) }

    /// What a lookup adds to its input before the PBS, so that every value of the type lands in
    /// [0, 2^width), below the padding bit: 2^(width−1) for signed types, 0 otherwise.
    public var lookupOffset: Int64 { isSigned ? 1 << (width - 1) : 0 }

    /// The value that lookup-table entry `index` (in [0, 2^width)) stands for.
    public func value(ofEntry index: Int64) -> Int64 { index - lookupOffset }
}
