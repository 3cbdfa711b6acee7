import ArgumentParser
import CollectorModel
import CollectorServer
import Foundation
import Logging

@main
struct Collector: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector",
        abstract: "The Collector service: gRPC over TLS for agents and tools, HTTP for legacy clients.",
        subcommands: [Serve.self, CheckConfig.self, Restore.self],
        defaultSubcommand: Serve.self)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the collector.")

    @Option(help: "Directory for the database, development TLS material and admin.token.")
    var dataDir: String?
    @Option(help: "YAML configuration file.")
    var config: String?
    @Option(help: "gRPC (TLS) listen address, HOST:PORT. Default 127.0.0.1:7443.")
    var grpcListen: String?
    @Option(help: "HTTP listen address, HOST:PORT. Default 127.0.0.1:8080.")
    var httpListen: String?

    func run() async throws {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        let fileConfig = try config.map { try ConfigFile.load(CollectorConfig.self, from: $0) } ?? CollectorConfig()
        guard let dataDirectory = dataDir ?? fileConfig.dataDir else {
            throw ValidationError("--data-dir (or data_dir in the config) is required")
        }
        let options = ServeOptions(
            dataDirectory: dataDirectory, config: fileConfig,
            grpcListen: try HostPort(parsing: grpcListen ?? fileConfig.grpc.listen, field: "grpc-listen"),
            httpListen: try HostPort(parsing: httpListen ?? fileConfig.http.listen, field: "http-listen"))
        let logger = Logger(label: "collector", levelName: fileConfig.logLevel)
        let application = try await CollectorApplication(options: options, logger: logger)
        try await application.run()
    }
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-config", abstract: "Validate a configuration file.")

    @Argument(help: "YAML configuration file.")
    var file: String

    func run() async throws {
        _ = try ConfigFile.load(CollectorConfig.self, from: file)
        print("\(file): ok")
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup (collectorctl backup) in place as the data directory's database.",
        discussion: """
            Refused while a collector runs on DIR, and when FILE fails SQLite's integrity check or is not a
            Collector database. The database it replaces is kept beside it as collector.sqlite.before-restore-<time>.
            Example: collector restore /srv/backups/collector-2024-03-01.sqlite --data-dir /var/lib/collector
            """)

    @Argument(help: "The backup file.")
    var file: String
    @Option(help: "The collector's data directory.")
    var dataDir: String

    func run() async throws {
        let directory = DataDirectory(path: dataDir)
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let kept = try directory.restore(from: file)
        print("restored \(file) into \(dataDir)" + (kept.map { "; the previous database is kept as \($0)" } ?? ""))
    }
}
