import CollectorModel
import Foundation
import Hummingbird
import LegacyHTTP
import Logging
import ServiceSupport

/// The local intake: the legacy event routes over HTTP on loopback, served
/// by the same code as the collector's bridge and checked by the
/// collector's own rules. Each request is answered only after its events
/// are flushed to the spool, so an answered event survives the agent being
/// killed, and the collector will store it.
struct EventIntake: Sendable {
    let config: EventsConfig
    let builder: BatchBuilder
    let rules: CollectorRules
    let logger: Logger
    /// The agent's own metrics, on this loopback port too.
    let metrics: @Sendable () async -> String
    let onListening: @Sendable (Int) async -> Void

    func run() async throws {
        let address = try HostPort(parsing: config.listen, field: "inputs.events.listen")
        let router = Router()
        let maxBodyBytes = config.maxBodyBytes.bytes
        let collectorRules = rules
        EventIntakeRoutes(sink: SpoolSink(builder: builder), authorizer: OpenIntake(), rules: {
            var rules = LegacyEventBody.Rules()
            rules.ingest = collectorRules.rules
            rules.maxBodyBytes = maxBodyBytes
            return rules
        }).register(on: router)
        let metrics = metrics
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: await metrics())))
        }
        let listening = onListening
        let listener = Listener(name: "intake", address: address.description)
        let logger = logger
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "collector-agent"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                listener.bound(port: port)
                logger.info("intake listening", metadata: ["address": "\(address.host):\(port)"])
                await listening(port)
            },
            logger: logger)
        // A taken port ends the agent with `intake listen HOST:PORT: address
        // already in use`, not NIO's words for it.
        try await listener.serve { try await GracefulOnCancellation(application, logger: logger).run() }
    }
}

/// Events into the spool: on disk before the answer.
struct SpoolSink: EventSink {
    let builder: BatchBuilder

    func accept(_ events: [Event]) async throws {
        for event in events { try await builder.add(event) }
        try await builder.flush()
    }
}
