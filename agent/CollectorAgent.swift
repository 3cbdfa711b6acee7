import AgentKit
import ArgumentParser
import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ServiceLifecycle
import ServiceSupport

@main
struct CollectorAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector-agent",
        abstract: "Registers an instance, samples its host, and pushes everything to the collector.",
        subcommands: [Run.self, CheckConfig.self, SampleConfig.self],
        defaultSubcommand: Run.self)
}

/// Flags that override the config file for the common case.
struct Overrides: ParsableArguments {
    @Option(help: "YAML configuration file (see collector-agent.yaml).")
    var config: String?
    @Option(help: "Collector gRPC address, HOST:PORT; several, comma-separated, for collectors sharing one store.")
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
        var config = try AgentConfig.load(from: config)
        if let collector {
            let targets = try HostPort.list(parsing: collector, field: "--collector").map(\.description)
            config.collector.address = targets[0]
            config.collector.addresses = targets.count > 1 ? targets : []
        }
        if let ca { config.collector.ca = ca }
        if let token { config.collector.token = token }
        if let tokenFile { config.collector.tokenFile = tokenFile }
        if let stateDir { config.stateDir = stateDir }
        if let intakeListen {
            _ = try HostPort(parsing: intakeListen, field: "--intake-listen")
            config.inputs[EventsInput.self].listen = intakeListen
        }
        return config
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the agent.")

    @OptionGroup var overrides: Overrides

    func run() async throws {
        let logLevel = LogLevelSwitch()
        LoggingSystem.bootstrap { label in logLevel.handler(label: label) }
        let config = try overrides.effectiveConfig()
        logLevel.level = Logger.Level(rawValue: config.logLevel) ?? .info
        let logger = logLevel.logger(label: "collector-agent")
        var runtime = try await AgentRuntime(config: config, logger: logger)
        runtime.logLevel = logLevel
        let overrides = overrides
        runtime.reloadConfig = { try overrides.effectiveConfig() }
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: AgentService(runtime: runtime)), .init(service: StartupPageReleaser())],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the configuration it gives.",
        discussion: """
            The output is the file with every default filled in, COLLECTOR_AGENT_* environment overrides \
            (COLLECTOR_AGENT_COLLECTOR__TOKEN=..., COLLECTOR_AGENT_INPUTS__PING__ENABLED=true: sections joined by a \
            double underscore) and the flags applied, secrets masked. Exit status 0 when valid, 1 with a line naming \
            the key when not.
            Example: collector-agent check-config /etc/collector/collector-agent.yaml (or --config FILE)
            """)

    @Argument(help: "YAML configuration file (or --config FILE).")
    var file: String?
    @OptionGroup var overrides: Overrides
    @Flag(help: "Only validate; print nothing but errors.")
    var quiet = false

    func run() async throws {
        var overrides = overrides
        overrides.config = try CheckConfigFile.choose(argument: file, option: overrides.config)
        let config = try overrides.effectiveConfig()
        guard !quiet else { return }
        print("# ok. Effective configuration (defaults filled in, environment and flags applied, secrets masked):")
        print(try EffectiveConfig.yaml(config), terminator: "")
    }
}

struct SampleConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-config",
        abstract: "Print the inputs section with every input's keys, defaults and comments.")

    func run() {
        print(AgentInputs.sampleConfig)
    }
}
