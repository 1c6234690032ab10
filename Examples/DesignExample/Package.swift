// swift-tools-version: 6.0
// A package that depends on swift-fhe and runs the examples of DESIGN.md §5 (programs) and §7
// (models and their deployment) as written: it checks that the public API is what the design
// promises to a user (`make test` builds and runs both).
import PackageDescription

let package = Package(
    name: "DesignExample",
    dependencies: [.package(name: "swift-fhe", path: "../..")],
    targets: [
        .executableTarget(name: "DesignExample", dependencies: [.product(name: "FHE", package: "swift-fhe")]),
        .executableTarget(name: "MLDesignExample", dependencies: [.product(name: "FHE", package: "swift-fhe")]),
    ]
)
