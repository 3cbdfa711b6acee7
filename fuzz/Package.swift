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
    ],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "collector-fuzz",
            dependencies: [
                "FuzzDriver",
                .product(name: "CollectorModel", package: "collector"),
                .product(name: "CollectorWire", package: "collector"),
                .product(name: "CollectorProto", package: "collector"),
                .product(name: "SeriesCodec", package: "collector"),
                .product(name: "InfluxQL", package: "collector"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        // The collector's and the agent's whole config decoders. Apart from
        // collector-fuzz because they pull in NIO, gRPC, Hummingbird and
        // GRDB, whose sanitized build takes far longer than the parsers'.
        .executableTarget(
            name: "collector-fuzz-config",
            dependencies: [
                "FuzzDriver",
                .product(name: "CollectorModel", package: "collector"),
                .product(name: "CollectorServer", package: "collector"),
                .product(name: "AgentKit", package: "collector"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
