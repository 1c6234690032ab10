internal import CTFHE
import FHEParameters
import Foundation

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

/// Threads used by batched kernels.
public enum Threading {
    /// What a batch uses when given no thread count: `FHE_NUM_THREADS` if set, else all cores
    /// (1 when the kernels were built without OpenMP).
    public static var defaultThreadCount: Int { Int(ctfhe_default_thread_count()) }

    /// Whether the kernels were built with OpenMP.
    public static var isOpenMPEnabled: Bool { ctfhe_openmp_enabled() != 0 }

    /// The most threads a batch runs on (`FHE_NUM_THREADS` has the same bound).
    public static let maximumThreadCount = Limits.maximumThreadCount

    /// The thread count a batch given `requested` runs on: at most `maximumThreadCount`.
    public static func resolved(_ requested: Int?) -> Int {
        guard isOpenMPEnabled else { return 1 }
        if let requested, requested > 0 { return min(requested, maximumThreadCount) }
        return defaultThreadCount
    }
}

/// FFTW's wisdom cache: where measured FFT plans are kept between processes.
public enum FFTWisdom {
    /// The cache file: `$FHE_FFTW_WISDOM` if set (empty disables the cache), else
    /// `$XDG_CACHE_HOME/swift-fhe/fftw-wisdom`, else `~/.cache/swift-fhe/fftw-wisdom`.
    public static let path: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["FHE_FFTW_WISDOM"] { return explicit.isEmpty ? nil : explicit }
        let cache = environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        let folder = cache.appendingPathComponent("swift-fhe")
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil
        else { return nil }
        return folder.appendingPathComponent("fftw-wisdom").path
    }()

    /// Points the kernels at the cache once per process; called before any FFT plan is made.
    static let configured: Void = {
        ctfhe_fft_set_wisdom_path(path)
    }()

    /// Makes (or loads from the cache) the FFT plans for polynomial size N.
    public static func prepare(polynomialSize: Int) throws {
        _ = configured
        try checkKernel(ctfhe_fft_prepare(polynomialSize), "FFT plans for N = \(polynomialSize)")
    }
}
