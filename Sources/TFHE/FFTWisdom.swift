internal import CTFHE
import Foundation

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
