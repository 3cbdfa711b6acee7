// swift-tools-version:6.1
// libFuzzer targets for Collector's parsers: built apart from the main
// package because every module must be compiled with the fuzzer and
// AddressSanitizer instrumentation (see fuzz/run).
import PackageDescription

let package = Package(
    name: "collector-fuzz",
    dependencies: [
        .package(path: "collector"),
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .executableTarget(
            name: "collector-fuzz",
            dependencies: [
                .product(name: "CollectorModel", package: "collector"),
                .product(name: "CollectorWire", package: "collector"),
                .product(name: "CollectorProto", package: "collector"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
