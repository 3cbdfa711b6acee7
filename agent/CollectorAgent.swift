import AgentKit
import ArgumentParser
import CollectorModel
import Foundation
import Logging
import ServiceLifecycle

@main
struct CollectorAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector-agent",
        abstract: "Registers an instance, samples its host, and pushes everything to the collector.",
        subcommands: [Run.self, CheckConfig.self],
        defaultSubcommand: Run.self)
}

/// Flags that override the config file for the common case.
struct Overrides: ParsableArguments {
    @Option(help: "YAML configuration file (see collector-agent.yaml).")
    var config: String?
    @Option(help: "Collector gRPC address, HOST:PORT.")
    var collector: String?
    @Option(help: "CA certificate that signed the collector's certificate.")
    var ca: String?
    @Option(help: "Ingest token.")
    var token: String?
    @Option(help: "File holding the ingest token.")
    var tokenFile: String?
    @Option(help: "State directory: agent id, instance uuid, spool.")
    var stateDir: String?
    @Option(help: "Local event intake address, HOST:PORT (default 127.0.0.1:7480).")
    var intakeListen: String?

    func effectiveConfig() throws -> AgentConfig {
        var config = try config.map { try ConfigFile.load(AgentConfig.self, from: $0) } ?? AgentConfig()
        if let collector {
            _ = try HostPort(parsing: collector, field: "--collector")
            config.collector.address = collector
        }
        if let ca { config.collector.ca = ca }
        if let token { config.collector.token = token }
        if let tokenFile { config.collector.tokenFile = tokenFile }
        if let stateDir { config.stateDir = stateDir }
        if let intakeListen {
            _ = try HostPort(parsing: intakeListen, field: "--intake-listen")
            config.inputs.events.listen = intakeListen
        }
        return config
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the agent.")

    @OptionGroup var overrides: Overrides

    func run() async throws {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        let config = try overrides.effectiveConfig()
        var logger = Logger(label: "collector-agent")
        logger.logLevel = Logger.Level(rawValue: config.logLevel) ?? .info
        let runtime = try await AgentRuntime(config: config, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: AgentService(runtime: runtime))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-config", abstract: "Validate a configuration file.")

    @OptionGroup var overrides: Overrides

    func run() async throws {
        _ = try overrides.effectiveConfig()
        print("ok")
    }
}
