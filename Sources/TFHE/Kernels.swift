internal import CTFHE
import FHEParameters

/// The one place where C status codes become Swift errors.
func checkKernel(_ status: ctfhe_status, _ operation: @autoclosure () -> String) throws {
    switch status {
    case CTFHE_OK: return
    case CTFHE_ERROR_OUT_OF_MEMORY: throw TFHEError.outOfMemory
    case CTFHE_ERROR_RANDOMNESS: throw TFHEError.randomnessFailure
    default: throw TFHEError.invalidArgument("\(operation()): invalid arguments for the kernels")
    }
}

extension ParameterSet {
    /// The shape of this set as the kernels take it.
    var kernelParameters: ctfhe_parameters {
        ctfhe_parameters(
            lwe_dimension: lweDimension, glwe_dimension: glweDimension, polynomial_size: polynomialSize,
            pbs_base_log: pbsBaseLog, pbs_level_count: pbsLevelCount,
            ks_base_log: ksBaseLog, ks_level_count: ksLevelCount)
    }
}
