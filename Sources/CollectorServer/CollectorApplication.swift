import CollectorConsole
import CollectorModel
import CollectorStore
import CollectorTLS
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import ServiceSupport

/// Where a running collector listens (ports resolved when 0 was asked for).
public struct BoundAddresses: Sendable, Equatable {
    public var grpcPort: Int
    public var httpPort: Int
}

public struct ServeOptions: Sendable {
    public var dataDirectory: String
    public var config: CollectorConfig
    public var grpcListen: HostPort
    public var httpListen: HostPort
    /// Readiness, watchdog and stopping for systemd (`Type=notify`).
    public var notifier: SystemdNotifier
    /// The level of the loggers made from it; a reload sets it.
    public var logLevel: LogLevelSwitch
    /// Reads the configuration again on SIGHUP; nil when there is no file.
    public var reloadConfig: (@Sendable () throws -> CollectorConfig)?

    public init(dataDirectory: String, config: CollectorConfig, grpcListen: HostPort, httpListen: HostPort,
                notifier: SystemdNotifier = SystemdNotifier(), logLevel: LogLevelSwitch = LogLevelSwitch(),
                reloadConfig: (@Sendable () throws -> CollectorConfig)? = nil) {
        self.dataDirectory = dataDirectory
        self.config = config
        self.grpcListen = grpcListen
        self.httpListen = httpListen
        self.notifier = notifier
        self.logLevel = logLevel
        self.reloadConfig = reloadConfig
    }
}

/// The collector: one store, the gRPC port (TLS) and the HTTP port, run as
/// a service group that shuts down gracefully on SIGTERM and SIGINT.
public struct CollectorApplication: Sendable {
    public let options: ServeOptions
    public let store: any Store
    let logger: Logger
    let tls: ServerTLSSettings
    let certificate: ReloadableCertificate
    let countries: any CountryDatabase
    /// The configuration in effect; reloads change parts of it.
    public let live: LiveConfig
    public let reloader: CollectorReloader
    /// A PostgreSQL store's connection pool, running from start-up (the
    /// migrations and the first token need it) until `run` ends.
    let storeConnections: Task<Void, Never>?

    public init(options: ServeOptions, logger: Logger) async throws {
        self.options = options
        self.logger = logger
        let directory = DataDirectory(path: options.dataDirectory)
        try directory.prepare()
        tls = try directory.tlsSettings(options.config.tls, logger: logger)
        certificate = try tls.reloadableCertificate()
        live = LiveConfig(options.config)
        reloader = CollectorReloader(load: options.reloadConfig, live: live, logLevel: options.logLevel, certificate: certificate,
                                     defaultCertificate: certificate.files)
        countries = try options.config.crawl.countryDatabase(cacheDirectory: options.dataDirectory, logger: logger)
        if countries.isEmpty {
            logger.warning("no country database: every country is 'unknown' (install tor-geoipdb, or set crawl.geoip_ipv4 or crawl.mmdb)")
        }
        if let location = options.config.storeLocation {
            let shared = PostgresStore(location: location, password: try PostgresPassword.read(file: options.config.storePasswordFile),
                                       retention: options.config.retention.retention, holder: Self.leaseHolder(), logger: logger)
            let connections = Task { await shared.run() }
            do {
                try await shared.migrate()
            } catch {
                connections.cancel()
                throw error
            }
            logger.notice("store: PostgreSQL", metadata: ["location": "\(location)", "schema": "\(PostgresStore.schemaVersion)"])
            store = shared
            storeConnections = connections
        } else {
            store = try SQLiteStore(dataDirectory: options.dataDirectory, minimumFreeBytes: Int64(options.config.limits.minFreeDisk.bytes),
                                    retention: options.config.retention.retention)
            storeConnections = nil
        }
        try await directory.bootstrapAdminToken(store: store, logger: logger)
    }

    /// This process's name in a shared store's leases: readable in the
    /// `leases` table, unique across restarts.
    static func leaseHolder() -> String {
        "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Runs until cancelled or signalled; `onReady` is called once both
    /// ports listen.
    public func run(onReady: @escaping @Sendable (BoundAddresses) async -> Void = { _ in }) async throws {
        defer { storeConnections?.cancel() }
        // Held while serving, so `collector restore` cannot swap the database
        // under a running collector.
        let lock = try DataDirectory(path: options.dataDirectory).lock()
        defer { lock.release() }
        var limits = options.config.limits
        limits.maxAge = options.config.retention.retention.maxAge
        let authenticator = Authenticator(store: store, logger: logger,
                                          limiter: RateLimiter(perMinute: limits.tokenRequestsPerMinute, burst: limits.tokenBurst))
        let connections = ConnectedAgents()
        let poolWatchers = PoolAssignmentWatchers()
        let ready = ReadinessFlag()
        let shutdown = ShutdownSignal()
        let metrics = CollectorMetrics()
        metrics.read(connections: connections, store: store)
        let compaction = Doorbell()
        let committer = GroupCommitter(store: store, metrics: metrics, compaction: compaction)
        let crawling = InstanceCrawling(store: store, committer: committer, live: live, locator: CountryLocator(table: countries),
                                        metrics: metrics, logger: logger)

        let transport = TLSServerTransport(
            listener: TLSListener(host: options.grpcListen.host, port: options.grpcListen.port,
                                  tls: try tls.grpcTLSContext(certificate: certificate)),
            config: TLSServerTransport.config(maxRequestPayloadSize: limits.maxMessageBytes))
        let grpcServer = GRPCServer(
            transport: transport,
            services: [
                IngestService(store: store, committer: committer, authenticator: authenticator, connections: connections, limits: limits, logger: logger,
                              shutdown: shutdown, metrics: metrics, poolWatchers: poolWatchers),
                QueryService(store: store, connections: connections, live: live),
                AdminService(store: store, crawling: crawling,
                             backupDirectory: (options.dataDirectory as NSString).appendingPathComponent("backups"),
                             authenticator: authenticator, poolWatchers: poolWatchers, logger: logger),
                HealthService(store: store, shutdown: shutdown),
            ],
            interceptors: [MetricsInterceptor(metrics: metrics), AuthInterceptor(authenticator: authenticator, logger: logger)])

        let grpcListener = Listener(name: "gRPC", address: options.grpcListen.description)
        let httpListener = Listener(name: "HTTP", address: options.httpListen.description)
        let console = Console(backend: consoleBackend(crawling: crawling, connections: connections, poolWatchers: poolWatchers), settings: ConsoleSettings(
            secureCookies: options.config.http.tls, sessionLifetime: options.config.console.sessionLifetime.duration,
            failedLoginsPerUser: options.config.console.failedLoginsPerUser, failedLoginsPerAddress: options.config.console.failedLoginsPerAddress),
            logger: logger)
        let http = Application(
            router: HTTPSide.router(store: store, committer: committer, authenticator: authenticator, rules: limits.legacyRules, ready: ready,
                                    instanceLimiter: RateLimiter(perMinute: options.config.http.instanceAPIPerMinute,
                                                                       burst: options.config.http.instanceAPIBurst),
                                    pools: options.config.pools, metrics: metrics, console: console, logger: logger),
            // `http.tls`: the console's passwords and cookies, and the legacy
            // clients' tokens, never cross a network in clear.
            server: options.config.http.tls ? try .tls(.http1(), tlsConfiguration: tls.httpTLSConfiguration(certificate: certificate)) : .http1(),
            configuration: .init(address: .hostname(options.httpListen.host, port: options.httpListen.port),
                                 serverName: "collector"),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port { httpListener.bound(port: port) }
            },
            logger: logger)

        // Services stop in reverse order: the committer last, once every
        // push stream has ended and handed over its batches.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: committer),
            .init(service: GRPCServerService(server: grpcServer, shutdown: shutdown, listener: grpcListener)),
            .init(service: ListeningService(http, listener: httpListener)),
            .init(service: CompactionService(store: store, doorbell: compaction, metrics: metrics, logger: logger,
                                             hold: .milliseconds(Int(ProcessInfo.processInfo.environment["FAULT_TEST_COMPACTION_HOLD_MS"] ?? "") ?? 0))),
            .init(service: SeriesUpgradeService(store: store, logger: logger), successTerminationBehavior: .ignore),
            .init(service: RetentionService(store: store, retention: options.config.retention, logger: logger)),
            .init(service: CrawlScheduler(crawling: crawling, leases: store, logger: logger)),
            .init(service: HangupReloader(daemon: "collector", logger: logger) { [reloader] in try reloader.reload() }),
            .init(service: HeapTrimmer()),
        ]
        if let interval = options.notifier.watchdogInterval {
            services.append(.init(service: WatchdogService(notifier: options.notifier, interval: interval)))
        }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))

        // The HTTP client's connections close before the run ends, however it ends.
        do {
            try await serve(group: group, listeners: (grpcListener, httpListener), ready: ready, onReady: onReady)
        } catch {
            options.notifier.stopping()
            await crawling.shutdown()
            await releaseLeases()
            throw error
        }
        options.notifier.stopping()
        await crawling.shutdown()
        await releaseLeases()
    }

    /// A collector stopping cleanly hands its background work on at once,
    /// instead of when its leases run out.
    /// In a task of its own: a run ended by cancellation would cancel the
    /// release too.
    private func releaseLeases() async {
        await Task { [store] in
            for name in [PostgresStore.seriesLease, CrawlScheduler.lease] {
                try? await store.releaseLease(name, holder: store.leaseHolder)
            }
        }.value
    }

    /// What the console reads and does: the same store, reporting, crawler
    /// and pool administration as the gRPC services.
    private func consoleBackend(crawling: InstanceCrawling, connections: ConnectedAgents, poolWatchers: PoolAssignmentWatchers) -> ConsoleBackend {
        ConsoleBackend(store: store, reporting: PoolReporting(store: store, zone: options.config.pools.zone),
                       fieldSettings: { [live] in live.value.crawl.fields }, agentPresence: { await connections.presence },
                       actions: ServerConsoleActions(crawling: crawling,
                                                     pools: PoolAdministration(store: store, poolWatchers: poolWatchers, logger: logger)))
    }

    private func serve(group: ServiceGroup, listeners: (grpc: Listener, http: Listener), ready: ReadinessFlag,
                       onReady: @escaping @Sendable (BoundAddresses) async -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                // Cancelling the collector shuts it down gracefully, as a
                // signal does: abrupt teardown of open HTTP/2 streams trips
                // preconditions in NIO and drops answers mid-flight.
                let running = Task { try await group.run() }
                try await withTaskCancellationHandler {
                    try await running.value
                } onCancel: {
                    Task { await group.triggerGracefulShutdown() }
                }
                return true
            }
            tasks.addTask {
                // Ready only once both ports are bound; a listener that
                // failed ends the service group with its `ListenError`.
                guard let grpcPort = await listeners.grpc.port(), let httpPort = await listeners.http.port() else { return false }
                ready.set()
                let bound = BoundAddresses(grpcPort: grpcPort, httpPort: httpPort)
                logger.notice("collector ready", metadata: ["grpc": "\(options.grpcListen.host):\(bound.grpcPort)",
                                                           "http": "\(options.httpListen.host):\(bound.httpPort)",
                                                           "data_dir": "\(options.dataDirectory)"])
                options.notifier.ready(status: "gRPC on \(bound.grpcPort), HTTP on \(bound.httpPort)")
                await onReady(bound)
                return false
            }
            // The service group ends the run; readiness reporting does not.
            while let serverEnded = try await tasks.next() {
                if serverEnded { break }
            }
            tasks.cancelAll()
        }
    }
}
