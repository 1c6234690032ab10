import Foundation
import Testing
import TFHE

@Test("FFT plans are kept in the wisdom file for later processes")
func wisdomIsSaved() throws {
    try FFTWisdom.prepare(polynomialSize: 2048)
    let path = try #require(FFTWisdom.path, "FHE_FFTW_WISDOM disables the cache in this environment")
    let contents = try String(contentsOfFile: path, encoding: .utf8)
    #expect(contents.contains("fftw_wisdom"))
}
