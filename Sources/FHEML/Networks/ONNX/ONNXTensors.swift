import Foundation

/// Reading ONNX tensors and attributes into real values, every size checked against the data
/// actually present (a forged file cannot make the importer allocate more than it holds).
enum ONNXTensors {
    /// The largest tensor read, in elements.
    static let maximumElements = 1 << 26

    /// The tensor's values as reals: raw data (little-endian) or the typed fields, for float,
    /// double, int8/16/32/64 and uint8/16 tensors.
    /// - Throws: `MLError.unsupportedModel` for external data or another type, `MLError.invalidData`
    ///   for sizes that do not match.
    static func real(_ tensor: Onnx_TensorProto, name: String) throws -> RealTensor {
        guard tensor.dataLocation != .external, tensor.externalData.isEmpty else {
            throw MLError.unsupportedModel("tensor '\(name)' keeps its data in an external file: export the model with the weights inside "
                + "(torch.onnx.export(..., external_data=False), or onnx.save_model(model, path, save_as_external_data=False))")
        }
        guard tensor.dims.allSatisfy({ (0...Int64(maximumElements)).contains($0) }) else {
            throw MLError.invalidData("tensor '\(name)' has dimensions \(tensor.dims): it is too large or not valid")
        }
        let shape = tensor.dims.map { Int($0) }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= maximumElements else { throw MLError.invalidData("tensor '\(name)' of shape \(shape) is too large") }
            count = product
        }
        let values = try values(tensor, name: name)
        guard values.count == count else {
            throw MLError.invalidData("tensor '\(name)' of shape \(shape) holds \(values.count) values, not \(count)")
        }
        guard values.allSatisfy(\.isFinite) else { throw MLError.invalidData("tensor '\(name)' holds a value that is not finite") }
        return RealTensor(shape: shape, values: values)
    }

    private static func values(_ tensor: Onnx_TensorProto, name: String) throws -> [Double] {
        typealias Kind = Onnx_TensorProto.DataType
        let kind = Kind(rawValue: Int(tensor.dataType))
        if tensor.hasRawData {
            let raw = tensor.rawData
            func read<T: FixedWidthInteger>(_: T.Type) -> [T] {
                raw.withUnsafeBytes { bytes in
                    stride(from: 0, to: bytes.count - MemoryLayout<T>.size + 1, by: MemoryLayout<T>.size).map {
                        T(littleEndian: bytes.loadUnaligned(fromByteOffset: $0, as: T.self))
                    }
                }
            }
            let size: Int
            switch kind {
            case .float?, .int32?: size = 4
            case .double?, .int64?: size = 8
            case .int8?, .uint8?, .bool?: size = 1
            case .int16?, .uint16?: size = 2
            default: throw unsupportedType(tensor, name)
            }
            guard raw.count % size == 0 else { throw MLError.invalidData("tensor '\(name)': \(raw.count) bytes of raw data") }
            switch kind {
            case .float?: return read(UInt32.self).map { Double(Float(bitPattern: $0)) }
            case .double?: return read(UInt64.self).map { Double(bitPattern: $0) }
            case .int64?: return read(Int64.self).map(Double.init)
            case .int32?: return read(Int32.self).map(Double.init)
            case .int16?: return read(Int16.self).map(Double.init)
            case .uint16?: return read(UInt16.self).map(Double.init)
            case .int8?: return read(Int8.self).map(Double.init)
            default: return read(UInt8.self).map(Double.init)
            }
        }
        switch kind {
        case .float?: return tensor.floatData.map(Double.init)
        case .double?: return tensor.doubleData
        case .int64?: return tensor.int64Data.map(Double.init)
        case .int32?, .int16?, .int8?, .uint8?, .uint16?, .bool?: return tensor.int32Data.map(Double.init)
        default: throw unsupportedType(tensor, name)
        }
    }

    private static func unsupportedType(_ tensor: Onnx_TensorProto, _ name: String) -> MLError {
        .unsupportedModel("tensor '\(name)' has data type \(tensor.dataType): only float, double and integer tensors are read")
    }

    /// The unsigned or signed 8-bit range of a quantized tensor type (QuantizeLinear's output).
    static func integerRange(dataType: Int32) -> ClosedRange<Int>? {
        switch Onnx_TensorProto.DataType(rawValue: Int(dataType)) {
        case .uint8?: 0...255
        case .int8?: -128...127
        default: nil
        }
    }
}

/// A node's attributes by name, with ONNX's defaults.
struct ONNXAttributes {
    private let attributes: [String: Onnx_AttributeProto]

    init(_ node: Onnx_NodeProto) {
        attributes = Dictionary(node.attribute.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func float(_ name: String, _ fallback: Double) -> Double { attributes[name].map { Double($0.f) } ?? fallback }
    func int(_ name: String, _ fallback: Int) -> Int { attributes[name].map { Int(clamping: $0.i) } ?? fallback }
    func ints(_ name: String) -> [Int]? { attributes[name].map { $0.ints.map { Int(clamping: $0) } } }
    func string(_ name: String) -> String? { attributes[name].map { String(decoding: $0.s, as: UTF8.self) } }
    func tensor(_ name: String) -> Onnx_TensorProto? { attributes[name].flatMap { $0.type == .tensor ? $0.t : nil } }
    func contains(_ name: String) -> Bool { attributes[name] != nil }
    var names: [String] { Array(attributes.keys) }
}
