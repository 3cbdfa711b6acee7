// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Collector",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "collector", targets: ["collector"]),
        .executable(name: "collector-agent", targets: ["collector-agent"]),
        .executable(name: "collectorctl", targets: ["collectorctl"]),
        .executable(name: "collector-bench", targets: ["collector-bench"]),
        .library(name: "CollectorClient", targets: ["CollectorClient"]),
        // For fuzz/, which builds them with libFuzzer and AddressSanitizer.
        .library(name: "CollectorModel", targets: ["CollectorModel"]),
        .library(name: "YAMLCoding", targets: ["YAMLCoding"]),
        .library(name: "CollectorWire", targets: ["CollectorWire"]),
        .library(name: "CollectorProto", targets: ["CollectorProto"]),
        .library(name: "SeriesCodec", targets: ["SeriesCodec"]),
        .library(name: "InfluxQL", targets: ["InfluxQL"]),
        // For fuzz/'s config decoder target only: they link NIO and gRPC.
        .library(name: "CollectorServer", targets: ["CollectorServer"]),
        .library(name: "AgentKit", targets: ["AgentKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        // Without its FullFoundation trait, Hummingbird links FoundationEssentials
        // only, so the agent does not carry full Foundation and ICU.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "CollectorProto",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["README.md"]
        ),
        // Debian's libyaml: YAMLCoding reads and writes config files over it.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // YAML to and from Codable types, over libyaml, without Foundation.
        .target(name: "YAMLCoding", dependencies: ["CYAML"]),
        .target(
            name: "CollectorModel",
            dependencies: [
                "YAMLCoding",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // glibc's malloc.h (mallopt, malloc_trim): HeapTuning.
        .systemLibrary(name: "CMalloc"),
        // sched_setattr(2), which glibc does not wrap: SchedulerSlice.
        .systemLibrary(name: "CScheduler"),
        .target(
            name: "ServiceSupport",
            dependencies: [
                "CMalloc",
                "CScheduler",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .systemLibrary(
            name: "CMaxMindDB",
            pkgConfig: "libmaxminddb",
            providers: [.apt(["libmaxminddb-dev"])]
        ),
        .target(
            name: "SelfMetrics",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "CollectorWire",
            dependencies: ["CollectorModel", "CollectorProto"]
        ),
        // The chunk and log-row codecs: pure, no database, fuzzed.
        .target(name: "SeriesCodec"),
        // InfluxDB's line protocol and InfluxQL: parsing, execution over a
        // source, answers. Pure, no database, fuzzed.
        .target(name: "InfluxQL"),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "CollectorStore",
            dependencies: [
                "CollectorModel", "SeriesCodec", "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CollectorTLS",
            dependencies: [
                "CollectorModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCertificateReloading", package: "swift-nio-extras"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ]
        ),
        .target(
            name: "Crawling",
            dependencies: [
                "CollectorModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "LegacyHTTP",
            dependencies: [
                "CollectorModel",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // The web console: sessions, pages and charts over the store's own
        // queries; the server wires it into its HTTP router.
        .target(
            name: "CollectorConsole",
            dependencies: [
                "CollectorModel", "CollectorStore", "ServiceSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CollectorServer",
            dependencies: [
                "CollectorModel", "CollectorStore", "CollectorProto", "CollectorWire", "CollectorTLS", "ServiceSupport", "Crawling", "SelfMetrics", "CMaxMindDB",
                "LegacyHTTP", "InfluxQL", "CZlib", "CollectorConsole",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "AgentKit",
            dependencies: [
                "CollectorModel", "CollectorProto", "CollectorWire", "CollectorTLS", "ServiceSupport", "Crawling", "SelfMetrics", "LegacyHTTP",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "CollectorCLI",
            dependencies: [
                "CollectorModel", "CollectorProto", "CollectorWire", "CollectorTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(name: "CollectorClient"),
        .executableTarget(
            name: "collector",
            dependencies: [
                "CollectorServer", "CollectorCLI", "CollectorModel", "ServiceSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "server",
            exclude: ["collector.yaml"]
        ),
        .executableTarget(
            name: "collector-agent",
            dependencies: [
                "AgentKit", "CollectorModel", "ServiceSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "agent",
            exclude: ["collector-agent.yaml"]
        ),
        // What no agent can drop (a gRPC client over TLS, the generated
        // messages, ServiceLifecycle, swift-log), built as the agent is, so
        // `bench/floor` can print the agent's size beside the least it could be.
        .executableTarget(
            name: "agent-floor",
            dependencies: [
                "CollectorProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "bench/Sources/agent-floor"
        ),
        .executableTarget(
            name: "collectorctl",
            dependencies: ["CollectorCLI"]
        ),
        .executableTarget(
            name: "collector-bench",
            dependencies: [
                "CollectorServer", "AgentKit", "CollectorModel", "CollectorProto", "CollectorStore", "CollectorTLS", "ServiceSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/Sources/collector-bench"
        ),
        .testTarget(
            name: "CollectorTests",
            dependencies: [
                "CollectorModel", "CollectorStore", "CollectorServer", "AgentKit", "CollectorCLI",
                "CollectorProto", "CollectorWire", "CollectorTLS", "CollectorClient", "Crawling", "ServiceSupport", "LegacyHTTP", "SeriesCodec", "InfluxQL",
                "CollectorConsole", "YAMLCoding",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"]
        ),
    ]
)
