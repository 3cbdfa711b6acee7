import CollectorModel
import CollectorStore
import Foundation
import Hummingbird
import Logging

/// The event service's API (seed 002), for both generations of its Python
/// client: ping, log an event (an object or an array of points), read one back.
struct EventServiceRoutes: Sendable {
    let store: any Store
    let auth: HTTPAuthentication
    let rules: LegacyEventBody.Rules
    let logger: Logger

    /// Hummingbird ignores a trailing slash, so `/ping` also serves `/ping/`.
    func register(on router: Router<CollectorRequestContext>) {
        for path in ["/", "/ping"] {
            router.get(RouterPath(path)) { _, _ in
                Response.json(.ok, JSONText.object([("status", JSONText.string("ok")), ("name", JSONText.string("stats-service")),
                                                     ("version", JSONText.string(CollectorVersion.string))]))
            }
        }
        router.post("/log/event") { request, _ in try await logEvent(request) }
        router.get("/log/event/:id") { request, context in try await readEvent(request, id: context.parameters.get("id") ?? "") }
    }

    private func refuse(_ failure: AuthFailure) -> Response {
        LegacyErrorMiddleware<CollectorRequestContext>.response(.forbidden, failure.description)
    }

    func logEvent(_ request: Request) async throws -> Response {
        if case .failure(let failure) = try await auth.authenticate(request, requiring: .ingest) { return refuse(failure) }
        var request = request
        let body = try await request.collectBody(upTo: rules.maxBodyBytes)
        let parsed: LegacyEventBody.Parsed
        do {
            parsed = try LegacyEventBody.parseEventService(Array(buffer: body), rules: rules)
        } catch {
            return LegacyErrorMiddleware<CollectorRequestContext>.response(.badRequest, error.description)
        }
        switch parsed {
        case .single(let event):
            try await store.insertEvents([event], at: Date())
            return .json(.ok, JSONText.string(event.id))
        case .points(let events):
            try await store.insertEvents(events, at: Date())
            return .json(.ok, JSONText.string("OK"))
        }
    }

    func readEvent(_ request: Request, id: String) async throws -> Response {
        if case .failure(let failure) = try await auth.authenticate(request, requiring: .read) { return refuse(failure) }
        guard let event = try await store.event(id: id) else {
            return LegacyErrorMiddleware<CollectorRequestContext>.response(.notFound, "No event with id \(id)")
        }
        var object = (try? JSONSerialization.jsonObject(with: Data(event.fieldsJSON.utf8))) as? [String: Any] ?? [:]
        object["event_id"] = event.id
        object["time"] = LegacyTime.rfc3339Fraction(event.time)
        return .json(.ok, JSONText.value(object))
    }
}
