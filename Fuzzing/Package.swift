// swift-tools-version: 6.0
// A libFuzzer harness for every decoder of outside data (`make fuzz`). Build it with the fuzzer
// sanitizer on every Swift module, so that coverage reaches the decoders:
//   swift build -c release --package-path Fuzzing -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
import PackageDescription

let package = Package(
    name: "Fuzzing",
    dependencies: [.package(name: "swift-fhe", path: "..")],
    targets: [.executableTarget(name: "FuzzDecoders", dependencies: [.product(name: "FHE", package: "swift-fhe")])]
)
