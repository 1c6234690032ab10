internal import CTFHE
import FHEParameters

/// Threads used by batched kernels.
public enum Threading {
    /// What a batch uses when given no thread count: `FHE_NUM_THREADS` if set, else all cores
    /// (1 when the kernels were built without OpenMP).
    public static var defaultThreadCount: Int { Int(ctfhe_default_thread_count()) }

    /// Whether the kernels were built with OpenMP.
    public static var isOpenMPEnabled: Bool { ctfhe_openmp_enabled() != 0 }

    /// The most threads a batch runs on (`FHE_NUM_THREADS` has the same bound).
    public static let maximumThreadCount = Limits.maximumThreadCount

    /// The thread count a batch given `requested` runs on: at most `maximumThreadCount`, the
    /// default for nil or 0 (`ctfhe_resolve_threads`, the one definition, in C).
    public static func resolved(_ requested: Int?) -> Int {
        Int(ctfhe_resolve_threads(Int32(clamping: max(requested ?? 0, 0))))
    }
}
