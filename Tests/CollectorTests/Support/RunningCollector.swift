import CollectorModel
import CollectorServer
import CollectorStore
import CollectorTLS
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceSupport

/// A real collector in this process: real TLS on loopback, a real SQLite
/// file. Stop it and start it again on the same ports to test outages.
final class RunningCollector: Sendable {
    let dataDirectory: String
    let config: CollectorConfig
    let application: CollectorApplication
    let addresses: BoundAddresses
    private let task: Task<Void, any Error>

    var store: any Store { application.store }
    var caPath: String { (dataDirectory as NSString).appendingPathComponent("ca.pem") }
    var adminToken: String {
        (try? String(contentsOfFile: (dataDirectory as NSString).appendingPathComponent("admin.token"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }
    var grpcTarget: HostPort { HostPort(host: "127.0.0.1", port: addresses.grpcPort) }

    /// Tests write fixed timestamps from years ago: no raw retention, so
    /// they are not refused as too old (one test checks that refusal).
    static var testConfig: CollectorConfig {
        var config = CollectorConfig()
        config.retention.raw = nil
        // No country table unless a test brings its own: loading the
        // system's would slow every start.
        config.crawl.geoipIPv4 = ""
        config.crawl.geoipIPv6 = ""
        return config
    }

    static func start(dataDirectory: String, config: CollectorConfig = testConfig, grpcPort: Int = 0, httpPort: Int = 0,
                      notifier: SystemdNotifier = SystemdNotifier(environment: [:]),
                      reloadConfig: (@Sendable () throws -> CollectorConfig)? = nil,
                      logger: Logger? = nil) async throws -> RunningCollector {
        let logger = logger ?? {
            var logger = Logger(label: "test-collector")
            logger.logLevel = .warning
            return logger
        }()
        let options = ServeOptions(dataDirectory: dataDirectory, config: config,
                                   grpcListen: HostPort(host: "127.0.0.1", port: grpcPort),
                                   httpListen: HostPort(host: "127.0.0.1", port: httpPort), notifier: notifier,
                                   reloadConfig: reloadConfig)
        let application = try await CollectorApplication(options: options, logger: logger)
        let (ready, continuation) = AsyncStream<BoundAddresses>.makeStream()
        let task = Task {
            try await application.run { addresses in
                continuation.yield(addresses)
                continuation.finish()
            }
        }
        var bound: BoundAddresses?
        for await addresses in ready { bound = addresses }
        guard let bound else {
            task.cancel()
            _ = try await task.value
            throw CLIStyleError("collector did not start")
        }
        return RunningCollector(dataDirectory: dataDirectory, config: config, application: application, addresses: bound, task: task)
    }

    private init(dataDirectory: String, config: CollectorConfig, application: CollectorApplication, addresses: BoundAddresses, task: Task<Void, any Error>) {
        self.dataDirectory = dataDirectory
        self.config = config
        self.application = application
        self.addresses = addresses
        self.task = task
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// Reads a server stream to its end, stopping this collector as soon as
    /// the first message arrives: what a held stream sees of a shutdown.
    func stop<Message: Sendable>(atFirstOf messages: RPCAsyncSequence<Message, any Error>) async -> StreamAtStop<Message> {
        var seen = StreamAtStop<Message>()
        do {
            for try await message in messages {
                seen.messages.append(message)
                if seen.stopping == nil { seen.stopping = Task { await self.stop() } }
            }
        } catch {
            seen.ending = error
        }
        return seen
    }

    /// The same data directory and ports, as after a restart.
    func restarted() async throws -> RunningCollector {
        await stop()
        return try await Self.start(dataDirectory: dataDirectory, config: config,
                                    grpcPort: addresses.grpcPort, httpPort: addresses.httpPort)
    }

    /// A client over real TLS trusting the collector's development CA.
    func withClient<T: Sendable>(
        tls: ClientTLSSettings? = nil,
        _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> T
    ) async throws -> T {
        let transport = try makeClientTransport(target: grpcTarget, tls: tls ?? ClientTLSSettings(caPath: caPath))
        return try await withGRPCClient(transport: transport) { client in try await body(client) }
    }

    /// Creates a token through the store, the way `collectorctl token create` does.
    func createToken(scopes: [String], site: String? = nil, name: String = "test") async throws -> String {
        let (record, secret) = try TokenIssuer.issue(name: name, scopes: scopes, site: site)
        try await store.insertToken(record)
        return secret.text
    }
}

/// A server stream's messages and how it ended, with the stop that began
/// at its first message (await it before reading on).
struct StreamAtStop<Message: Sendable>: Sendable {
    var messages: [Message] = []
    var ending: (any Error)?
    var stopping: Task<Void, Never>?
}

struct CLIStyleError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func bearer(_ token: String) -> Metadata { ["authorization": "Bearer \(token)"] }

/// Polls until `condition` holds or the deadline passes; tests assert on
/// the result, so a slow machine fails clearly instead of hanging.
func eventually(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
