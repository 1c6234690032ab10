import FHEML
import Testing

@Suite("Quantizers")
struct QuantizerTests {
    @Test("min/max calibration: the range maps onto the integers, 0 exact, error at most half a step")
    func calibration() throws {
        let values = [-1.5, 0.25, 2.0, 3.5]
        let quantizer = try Quantizer(calibratingOn: values, bits: 8)
        #expect(quantizer.minimum == 0 && quantizer.maximum == 255)
        #expect(abs(quantizer.scale - 5.0 / 255) < 1e-12)
        #expect(quantizer.quantize(-1.5) == 0 && quantizer.quantize(3.5) == 255)
        #expect(quantizer.dequantize(quantizer.quantize(0)) == 0)
        for value in stride(from: -1.5, through: 3.5, by: 0.01) {
            #expect(abs(quantizer.dequantize(quantizer.quantize(value)) - value) <= quantizer.scale / 2 + 1e-12)
        }
        #expect(quantizer.quantize(100) == 255 && quantizer.quantize(-100) == 0)   // clipped
    }

    @Test("signed, symmetric and degenerate ranges")
    func variants() throws {
        let symmetric = try Quantizer(calibratingOn: [-0.5, 2.0], bits: 4, isSigned: true, symmetric: true)
        #expect(symmetric.zeroPoint == 0 && symmetric.minimum == -8 && symmetric.maximum == 7)
        #expect(abs(symmetric.scale - 2.0 / 7) < 1e-12 && symmetric.quantize(2.0) == 7 && symmetric.quantize(-2.0) == -7)
        let signed = try Quantizer(calibratingOn: [0, 1], bits: 3, isSigned: true)
        #expect(signed.quantize(0) == -4 && signed.quantize(1) == 3)
        let constant = try Quantizer(calibratingOn: [0, 0], bits: 6)
        #expect(constant.scale == 1 && constant.quantize(0) == 0)
        let positive = try Quantizer(calibratingOn: [2, 3], bits: 2)   // widened to contain 0
        #expect(positive.quantize(0) == 0 && positive.quantize(3) == 3)
    }

    @Test("bad bits, scales and data are refused")
    func refusals() {
        #expect(throws: MLError.self) { try Quantizer(calibratingOn: [], bits: 8) }
        #expect(throws: MLError.self) { try Quantizer(calibratingOn: [.nan], bits: 8) }
        #expect(throws: MLError.self) { try Quantizer(calibratingOn: [1], bits: 0) }
        #expect(throws: MLError.self) { try Quantizer(bits: 8, isSigned: false, scale: 0, zeroPoint: 0) }
        #expect(throws: MLError.self) { try Quantizer(calibratingOn: [1], bits: 4, symmetric: true) }
    }
}
