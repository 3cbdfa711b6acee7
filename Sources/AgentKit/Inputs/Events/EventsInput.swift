import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import LegacyHTTP
import Logging
import ServiceSupport

/// The local intake: the legacy event routes over HTTP on loopback, served
/// by the same code as the collector's bridge and checked by the
/// collector's own rules. Each request is answered only after its events
/// are flushed to the spool, so an answered event survives the agent being
/// killed, and the collector will store it.
public struct EventsInput: AgentInput {
    public static let name = "events"
    public static let sampleConfig = """
        # Goes under `inputs:` in collector-agent.yaml.
        #
        # Applications beside the agent send events here instead of across the
        # network: POST /log/event/ (the old event service's bodies: an object, or an
        # array of points) and POST /api/track/ (the tracking API's body). Old clients
        # only change their base URL. An answer means the event is in the spool, checked
        # by the collector's own rules (learned when the agent registers), so the
        # collector will store it.
        events:
          enabled: true
          listen: 127.0.0.1:7480      # also --intake-listen HOST:PORT; keep it on loopback (no token)
          max_body_bytes: 1MiB
        """

    let config: EventsConfig
    let context: InputContext

    public init(config: EventsConfig, context: InputContext) {
        self.config = config
        self.context = context
    }

    public func run(sink: BatchBuilder) async throws {
        let address = try HostPort(parsing: config.listen, field: "inputs.events.listen")
        let router = Router()
        let maxBodyBytes = config.maxBodyBytes.bytes
        let collectorRules = context.rules
        EventIntakeRoutes(sink: SpoolSink(builder: sink), authorizer: OpenIntake(), rules: {
            var rules = LegacyEventBody.Rules()
            rules.ingest = collectorRules.rules
            rules.maxBodyBytes = maxBodyBytes
            return rules
        }).register(on: router)
        try await LoopbackServer(name: "intake", address: address, logger: context.logger, onListening: context.listening).serve(router)
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
