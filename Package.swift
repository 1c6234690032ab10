// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// OpenMP for the C kernels, found where Debian's `libomp-dev` installs it.
///
/// The Swift toolchain's clang understands `-fopenmp` but ships no `omp.h` and no runtime;
/// `libomp-dev` puts `omp.h` in its LLVM version's clang folder
/// (`/usr/lib/llvm-<version>/lib/clang/<version>/include`) and `libomp5.so` in the multiarch
/// library folder. Both are searched for here, so no LLVM version is hard-coded. The folder is
/// searched *after* the compiler's own headers (`-idirafter`), so that only `omp.h` is taken
/// from it. Without them, or with `SWIFT_FHE_DISABLE_OPENMP=1`, the kernels build without
/// OpenMP (batches run on one thread) and the package uses no unsafe flags.
struct OpenMP {
    let includeDirectory: String

    static func find() -> OpenMP? {
        let environment = ProcessInfo.processInfo.environment
        if let disabled = environment["SWIFT_FHE_DISABLE_OPENMP"], disabled != "0", !disabled.isEmpty {
            return nil
        }
        let files = FileManager.default
        let runtimeFound = ((try? files.contentsOfDirectory(atPath: "/usr/lib")) ?? [])
            .filter { $0.hasSuffix("-linux-gnu") }
            .contains { files.fileExists(atPath: "/usr/lib/\($0)/libomp5.so") }
        guard runtimeFound else { return nil }
        let llvms = ((try? files.contentsOfDirectory(atPath: "/usr/lib")) ?? [])
            .filter { $0.hasPrefix("llvm-") }
            .sorted { $0.localizedStandardCompare($1) == .orderedDescending }
        for llvm in llvms {
            let clang = "/usr/lib/\(llvm)/lib/clang"
            for version in (try? files.contentsOfDirectory(atPath: clang)) ?? [] {
                let include = "\(clang)/\(version)/include"
                if files.fileExists(atPath: "\(include)/omp.h") { return OpenMP(includeDirectory: include) }
            }
        }
        return nil
    }
}

let openMP = OpenMP.find()
let kernelCSettings: [CSetting] = openMP.map {
    [.unsafeFlags(["-fopenmp", "-idirafter", $0.includeDirectory])]
} ?? []
let kernelLinkerSettings: [LinkerSetting] = [.linkedLibrary("m")] + (openMP != nil ? [.linkedLibrary("omp5")] : [])

let package = Package(
    name: "swift-fhe",
    products: [
        .library(name: "FHE", targets: ["FHE"]),
        .library(name: "TFHE", targets: ["TFHE"]),
        /// What a client or server process needs, without the compiler.
        .library(name: "FHEDeployment", targets: ["FHEDeployment"]),
        .library(name: "FHEML", targets: ["FHEML"]),
        .executable(name: "fhec", targets: ["fhec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/google/swift-benchmark", from: "0.1.2"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFTW",
            path: "CSources/CFFTW",
            pkgConfig: "fftw3",
            providers: [.apt(["libfftw3-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            path: "CSources/COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "CTFHE",
            dependencies: ["CFFTW", "COpenSSL"],
            path: "CSources/CTFHE",
            cSettings: kernelCSettings,
            linkerSettings: kernelLinkerSettings
        ),
        .target(name: "FHEParameters", path: "Sources/FHEParameters"),
        .target(name: "FHEOptimizer", dependencies: ["FHEParameters"], path: "Sources/FHEOptimizer"),
        .target(name: "FHEProgram", dependencies: ["FHEParameters"], path: "Sources/FHEProgram"),
        .target(name: "FHECompiler", dependencies: ["FHEProgram", "FHEOptimizer"], path: "Sources/FHECompiler"),
        .target(name: "TFHE", dependencies: ["CTFHE", "FHEParameters"], path: "Sources/TFHE"),
        // The client and the server of a deployment: no compiler (a server process links this).
        .target(name: "FHEDeployment", dependencies: ["FHEProgram", "FHEParameters", "TFHE"],
                path: "Sources/FHERuntime/Deployment"),
        // `Circuit`: a compiled program with its client and server in one process.
        .target(name: "FHERuntime", dependencies: ["FHECompiler", "FHEDeployment"], path: "Sources/FHERuntime",
                exclude: ["Deployment"]),
        // Machine learning: quantized models compiled to circuits (Concrete ML's role).
        // Networks/ONNX/onnx-ml.pb.swift is generated once from onnx 1.23.2's onnx-ml.proto by protoc 3.21 and
        // swift-protobuf 1.39.0's plugin (protoc --swift_out=. --swift_opt=Visibility=Internal onnx-ml.proto).
        .target(name: "FHEML", dependencies: ["FHECompiler", "FHERuntime", "FHEDeployment", "SwiftCSV",
                                              .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                path: "Sources/FHEML",
                resources: [.copy("Datasets/Data")]),
        .target(name: "FHE", dependencies: ["TFHE", "FHEParameters", "FHEOptimizer", "FHEProgram", "FHECompiler", "FHERuntime",
                                            "FHEML"],
                path: "Sources/FHE"),
        .executableTarget(
            name: "fhec",
            dependencies: ["FHE", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/fhec"
        ),
        .executableTarget(
            name: "TFHEBenchmarks",
            dependencies: ["TFHE", "CTFHE", .product(name: "Benchmark", package: "swift-benchmark")],
            path: "Benchmarks/TFHEBenchmarks"
        ),
        .executableTarget(
            name: "CompilerBenchmarks",
            dependencies: ["FHECompiler", .product(name: "Benchmark", package: "swift-benchmark")],
            path: "Benchmarks/CompilerBenchmarks"
        ),
        .executableTarget(
            name: "RuntimeBenchmarks",
            dependencies: ["FHE", .product(name: "Benchmark", package: "swift-benchmark")],
            path: "Benchmarks/RuntimeBenchmarks"
        ),
        .executableTarget(
            name: "MLBenchmarks",
            dependencies: ["FHE", .product(name: "Benchmark", package: "swift-benchmark")],
            path: "Benchmarks/MLBenchmarks"
        ),
        .target(name: "TestSupport", dependencies: ["FHEParameters"], path: "Tests/TestSupport"),
        .testTarget(name: "FHEParametersTests", dependencies: ["FHEParameters"]),
        .testTarget(name: "FHEOptimizerTests", dependencies: ["FHEOptimizer"]),
        .testTarget(name: "FHECompilerTests", dependencies: ["FHECompiler", "FHEOptimizer", "TestSupport"]),
        .testTarget(name: "FHERuntimeTests", dependencies: ["FHERuntime", "FHEDeployment", "TestSupport"]),
        // Builds and runs a server from an artifact with no compiler in the dependencies.
        .testTarget(name: "FHEDeploymentTests", dependencies: ["FHEDeployment"]),
        .testTarget(name: "FHEMLTests", dependencies: ["FHEML", "FHERuntime", "FHEDeployment", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TFHETests", dependencies: ["TFHE", "CTFHE", "FHEOptimizer", "TestSupport"]),
    ]
)
