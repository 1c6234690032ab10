import ArgumentParser
import FHE

/// `--threads T`, shared by the commands that run batches.
struct ThreadOption: ParsableArguments {
    @Option(parsing: .unconditional,
            help: "Threads for keygen and batched lookups, 1…\(Threading.maximumThreadCount) (default: $FHE_NUM_THREADS or all cores).")
    var threads: Int?

    func validate() throws {
        if let threads { try checkRange("--threads", threads, 1...Threading.maximumThreadCount) }
    }
}
