import FHEProgram
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `data` to `url` in a file that only its owner may read or write (mode 0600 from the
/// moment it exists; an existing file is truncated and set to 0600 first). Symbolic links are
/// not followed.
/// - Throws: `RuntimeError.unsupported` naming the path and the system's error.
func writePrivateFile(_ data: Data, to url: URL) throws {
    let path = url.path
    func failure(_ what: String) -> RuntimeError {
        .unsupported("cannot \(what) \(path): \(String(cString: strerror(errno)))")
    }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw failure("create") }
    defer { close(descriptor) }
    guard fchmod(descriptor, 0o600) == 0, ftruncate(descriptor, 0) == 0 else { throw failure("restrict") }
    try data.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            offset += written
        }
    }
}
