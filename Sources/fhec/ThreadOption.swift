import ArgumentParser

/// `--threads T`, shared by the commands that run batches.
struct ThreadOption: ParsableArguments {
    @Option(help: "Threads for keygen and batched lookups (default: $FHE_NUM_THREADS or all cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive, got \(threads)") }
    }
}
