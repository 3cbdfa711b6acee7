import CollectorModel
import Foundation
import Hummingbird
import Logging

/// The local intake: the legacy event bodies over HTTP on loopback. Each
/// request is answered only after its events are flushed to the spool, so an
/// answered event survives the agent being killed.
struct EventIntake: Sendable {
    let config: EventsConfig
    let builder: BatchBuilder
    let logger: Logger
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
                    return Self.json(.ok, "\"\(event.id)\"")
                case .points(let events):
                    try await spool(events)
                    return Self.json(.ok, "\"OK\"")
                }
            } catch let error as ValidationError {
                return Self.json(.badRequest, #"{"success": false, "data": null, "message": \#(Self.quoted(error.description))}"#)
            }
        }
        router.post("/api/track") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: rules.maxBodyBytes)
            let event: Event
            do throws(TrackErrors) {
                event = try LegacyEventBody.parseTrack(Array(buffer: body), rules: rules)
            } catch {
                let fields = error.fields.sorted { $0.key < $1.key }.map { "\(Self.quoted($0.key)): [\($0.value.map(Self.quoted).joined(separator: ", "))]" }
                return Self.json(.badRequest, "{" + fields.joined(separator: ", ") + "}")
            }
            try await spool([event])
            return Self.json(.created, #"{"id": \#(Self.quoted(event.id)), "name": \#(Self.quoted(event.name)), "namespace": \#(Self.quoted(event.namespace)), "timestamp": \#(Self.quoted(LegacyTime.iso8601Seconds(event.time))), "value": \#(event.value)}"#)
        }
        let listening = onListening
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "collector-agent"),
            onServerRunning: { channel in await listening(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await application.runService()
    }

    private func spool(_ events: [Event]) async throws {
        for event in events { try await builder.add(event) }
        try await builder.flush()
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
