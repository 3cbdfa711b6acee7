import CollectorModel
import CollectorTLS
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ServiceSupport

/// The agent: inputs → batch builder → spool → uplink, run as one task group
/// until cancelled. On the way out what is pending is flushed to the spool.
public struct AgentRuntime: Sendable {
    public static let version = CollectorVersion.string

    /// The configuration the agent started with.
    public let config: AgentConfig
    /// The configuration in effect: reloads change the log level and inputs.
    public let live: LiveAgentConfig
    public let state: AgentState
    public let spool: Spool
    public let builder: BatchBuilder
    public let uplink: Uplink
    /// Where the agent listens once it does (tests ask for port 0): the
    /// inputs that listen, by name, and `metrics`.
    public let ports = ListeningPorts()
    public let metrics = AgentMetrics()
    /// Readiness, watchdog and stopping for systemd (`Type=notify`).
    public var notifier = SystemdNotifier()
    /// Reads the configuration again on SIGHUP; nil when there is no file.
    public var reloadConfig: (@Sendable () throws -> AgentConfig)?
    /// The level of the loggers made from it; a reload sets it.
    public var logLevel = LogLevelSwitch()
    let logger: Logger

    public init(config: AgentConfig, logger: Logger) async throws {
        self.config = config
        self.logger = logger
        live = LiveAgentConfig(config)
        state = try AgentState(directory: config.stateDir)
        spool = try Spool(directory: state.spoolDirectory, maxBytes: config.spool.maxBytes.bytes, logger: logger)
        builder = BatchBuilder(agentID: state.agentID, spool: spool, maxItems: config.uplink.maxBatchItems, logger: logger)
        let collector = config.collector
        let settings = UplinkSettings(
            collectors: try collector.targets.map { try HostPort(parsing: $0, field: "collector.addresses") },
            tls: ClientTLSSettings(caPath: collector.ca, certificatePath: collector.clientCertificate,
                                   keyPath: collector.clientKey, serverName: collector.serverName),
            token: try Self.token(from: collector),
            hostname: ProcessInfo.processInfo.hostName,
            agentVersion: Self.version,
            maxInFlight: config.uplink.maxInFlight,
            backoffInitial: config.uplink.backoffInitial.duration,
            backoffMax: config.uplink.backoffMax.duration)
        var configured = settings
        configured.poolRefresh = config.uplink.poolRefresh.duration
        uplink = Uplink(settings: configured, state: state, instance: config.instance, spool: spool, logger: logger)
        metrics.read(spool: spool, uplink: uplink)
    }

    /// The ports the agent's listeners bound, by name.
    public actor ListeningPorts {
        private var ports: [String: Int] = [:]
        /// The events input's intake.
        public var intake: Int? { ports[EventsInput.name] }
        public var metrics: Int? { ports["metrics"] }
        func set(_ name: String, _ port: Int) { ports[name] = port }
    }

    static func token(from section: AgentConfig.CollectorSection) throws -> String {
        if let token = section.token, !token.isEmpty { return token }
        guard let file = section.tokenFile else {
            throw ConfigError("no token: set collector.token or collector.token_file (or --token / --token-file)")
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ConfigError("cannot read token file \(file)")
        }
        let token = text.trimmingWhitespace()
        guard !token.isEmpty else { throw ConfigError("token file \(file) is empty") }
        return token
    }

    public func run() async throws {
        logger.info("agent starting", metadata: [
            "agent": "\(state.agentID)", "collector": "\(config.collector.targets.joined(separator: ","))", "state_dir": "\(state.directory)",
        ])
        defer { notifier.stopping() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await uplink.run() }
            if let interval = notifier.watchdogInterval {
                let notifier = notifier
                group.addTask { try await WatchdogService(notifier: notifier, interval: interval).run() }
            }
            group.addTask { try await flushEvery(config.uplink.flushInterval.duration) }
            for input in AgentInputs.all {
                let context = InputContext(state: state, instance: config.instance, rules: uplink.rules, metrics: metrics,
                                           logger: logger, listening: { [ports] in await ports.set(input.name, $0) })
                group.addTask { try await supervise(input, context: context) }
            }
            if config.metrics.enabled {
                let server = LoopbackServer(name: "metrics", address: try HostPort(parsing: config.metrics.listen, field: "metrics.listen"),
                                            logger: logger, onListening: { [ports] in await ports.set("metrics", $0) })
                let endpoint = MetricsEndpoint(server: server, text: { await metricsText() })
                group.addTask { try await endpoint.run() }
            }
            if reloadConfig != nil {
                group.addTask { try await HangupReloader(daemon: "agent", logger: logger) { try reload() }.run() }
            }
            // The spool is open and every input started: ready as systemd means it.
            notifier.ready(status: "agent \(state.agentID)")
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func supervise<Input: AgentInput>(_ input: Input.Type, context: InputContext) async throws {
        try await InputSupervisor<Input>(live: live, context: context, sink: builder).supervise()
    }

    /// `systemctl reload collector-agent`: reads the configuration again and
    /// applies the log level and the inputs (each changed input restarts;
    /// the collector stream and the spool are untouched). Other changed
    /// settings are named as needing a restart. A configuration that does
    /// not load changes nothing.
    public func reload() throws -> ReloadReport {
        let running = live.value
        let wanted = try reloadConfig?() ?? running
        let next = running.takingReloadable(from: wanted)
        logLevel.level = Logger.Level(rawValue: next.logLevel) ?? .info
        live.set(next)
        return ReloadReport(applied: ConfigDifference.paths(from: running, to: next),
                            needsRestart: ConfigDifference.paths(from: next, to: wanted))
    }

    /// The Prometheus text of `GET /metrics`.
    public func metricsText() async -> String {
        await metrics.text()
    }

    private func flushEvery(_ interval: Duration) async throws {
        do {
            while true {
                await builder.waitUntilPending()
                try await Task.sleep(for: interval)
                do {
                    try await builder.flush()
                } catch {
                    logger.error("could not spool a batch", metadata: ["error": "\(error)"])
                }
            }
        } catch is CancellationError {
            // Shutting down: what inputs produced goes to disk, not away.
            _ = try? await builder.flush()
        }
    }
}
