// libFuzzer entry point: the first byte picks a decoder, the rest is its input. Every decoder
// must throw `DeserializationError` on bad input; a crash, a hang or a huge allocation is a bug
// that libFuzzer reports with the input that caused it.
import FHE
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoders(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let data = Data(bytes: bytes + 1, count: count - 1)
    do {
        switch bytes[0] % 6 {
        case 0: _ = try ClientSpecs(serialized: data)
        case 1: _ = try EncryptedArguments(serialized: data)
        case 2: _ = try EncryptedResult(serialized: data)
        case 3: _ = try Server(artifact: ServerArtifact(serialized: data))
        case 4: _ = try ClientKeys(serialized: data)
        default: _ = try EvaluationKeys(serialized: data)
        }
    } catch is DeserializationError {
        // Rejected, as it should be.
    } catch {
        fatalError("a decoder threw \(type(of: error)) instead of DeserializationError: \(error)")
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzer(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// The program's entry point (SwiftPM links an executable's `main` to `<target>_main`): libFuzzer's driver.
@_cdecl("FuzzDecoders_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, arguments = argv
    return runFuzzer(&count, &arguments) { fuzzDecoders($0, $1) }
}
