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
        subcommands: [Serve.self, CheckConfig.self],
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
