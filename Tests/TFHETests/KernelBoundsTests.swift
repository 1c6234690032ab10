import CTFHE
import FHEParameters
import Foundation
import Testing
import TFHE

/// The C entry points check every bound their stack arrays and thread pools assume, so a direct
/// call with out-of-range sizes returns an error instead of overflowing the stack.
@Suite("Kernel argument bounds")
struct KernelBoundsTests {
    static func parameters(k: Int) -> ctfhe_parameters {
        ctfhe_parameters(lwe_dimension: 4, glwe_dimension: k, polynomial_size: 256, pbs_base_log: 10, pbs_level_count: 2,
                         ks_base_log: 4, ks_level_count: 3)
    }

    @Test("k above CTFHE_MAX_GLWE_DIMENSION is refused by the external product, the CMux and key expansion")
    func glweDimension() {
        #expect(CTFHE_MAX_GLWE_DIMENSION == 16)
        let k = Int(CTFHE_MAX_GLWE_DIMENSION) + 1, size = 256
        var out = [UInt64](repeating: 0, count: (k + 1) * size)
        let glwe = [UInt64](repeating: 0, count: (k + 1) * size)
        let ggsw = [Double](repeating: 0, count: (k + 1) * (k + 1) * size)
        #expect(ctfhe_external_product(&out, ggsw, glwe, k, size, 10, 1) == CTFHE_ERROR_INVALID_ARGUMENT)
        #expect(ctfhe_cmux(&out, ggsw, glwe, glwe, k, size, 10, 1) == CTFHE_ERROR_INVALID_ARGUMENT)
        var parameters = Self.parameters(k: k)
        var key: OpaquePointer?
        let seed = [UInt8](repeating: 0, count: 16)
        #expect(ctfhe_bootstrap_key_expand(&key, &parameters, [0], seed, 1) == CTFHE_ERROR_INVALID_ARGUMENT)
        #expect(key == nil)
        var valid = Self.parameters(k: Int(CTFHE_MAX_GLWE_DIMENSION))
        #expect(ctfhe_seeded_bootstrap_key_word_count(&valid) > 0)
    }

    @Test("thread requests are capped at the same bound as FHE_NUM_THREADS")
    func threads() {
        #expect(Threading.maximumThreadCount == 4096 && Limits.maximumThreadCount == Int(CTFHE_MAX_THREADS))
        #expect(Limits.glweDimensions.upperBound == Int(CTFHE_MAX_GLWE_DIMENSION))
        if Threading.isOpenMPEnabled {
            #expect(Threading.resolved(100_000) == 4096)
            #expect(Threading.resolved(3) == 3)
        } else {
            #expect(Threading.resolved(100_000) == 1)
        }
    }
}
