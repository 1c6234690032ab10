import Dispatch
import Foundation

/// Runs a long step (`body`) and, when standard error is a terminal and the step takes more than
/// a second, shows that it is still running: "keygen … 2.4 s", redrawn in place every tenth of
/// a second and erased when the step ends. Nothing is written when standard error is a file or
/// a pipe, so logs and `--json` output stay clean.
func withProgress<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
    guard isatty(STDERR_FILENO) == 1 else { return try body() }
    let start = DispatchTime.now().uptimeNanoseconds
    let shown = ProgressLine()
    let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "fhec.progress"))
    timer.schedule(deadline: .now() + 1, repeating: .milliseconds(100))
    timer.setEventHandler {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        shown.draw("\(label) … \(String(format: "%.1f", seconds)) s")
    }
    timer.resume()
    defer {
        timer.cancel()
        shown.erase()
    }
    return try body()
}

/// The line `withProgress` draws on standard error; drawn from the timer's queue, erased from
/// the caller's thread once the timer is cancelled.
private final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var width = 0

    func draw(_ text: String) {
        lock.withLock {
            FileHandle.standardError.write(Data(("\r" + text).utf8))
            width = max(width, text.count)
        }
    }

    func erase() {
        lock.withLock {
            if width > 0 { FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: width) + "\r").utf8)) }
            width = 0
        }
    }
}
