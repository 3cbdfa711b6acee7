import CollectorModel
import Foundation
import Hummingbird
import Logging
import ServiceSupport

/// The local intake: the legacy event bodies over HTTP on loopback. Each
/// request is answered only after its events are flushed to the spool, so an
/// answered event survives the agent being killed.
struct EventIntake: Sendable {
    let config: EventsConfig
    let builder: BatchBuilder
    let logger: Logger
    /// The agent's own metrics, on this loopback port too.
    let metrics: @Sendable () async -> String
    let onListening: @Sendable (Int) async -> Void

    func run() async throws {
        let address = try HostPort(parsing: config.listen, field: "inputs.events.listen")
        let router = Router()
        let rules = config.rules
        router.post("/log/event") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: rules.maxBodyBytes)
            do {
                switch try LegacyEventBody.parseEventService(Array(buffer: body), rules: rules) {
                case .single(let event):
                    try await spool([event])
                    return Self.json(.ok, JSONText.string(event.id))
                case .points(let events):
                    try await spool(events)
                    return Self.json(.ok, JSONText.string("OK"))
                }
            } catch let error as ValidationError {
                return Self.json(.badRequest, LegacyEventBody.errorBody(error.description))
            }
        }
        router.post("/api/track") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: rules.maxBodyBytes)
            let event: Event
            do throws(TrackErrors) {
                event = try LegacyEventBody.parseTrack(Array(buffer: body), rules: rules)
            } catch {
                return Self.json(.badRequest, LegacyEventBody.trackErrorsBody(error.fields))
            }
            try await spool([event])
            return Self.json(.created, LegacyEventBody.trackEcho(event))
        }
        let metrics = metrics
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: await metrics())))
        }
        let listening = onListening
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "collector-agent"),
            onServerRunning: { channel in await listening(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await GracefulOnCancellation(application, logger: logger).run()
    }

    private func spool(_ events: [Event]) async throws {
        for event in events { try await builder.add(event) }
        try await builder.flush()
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
