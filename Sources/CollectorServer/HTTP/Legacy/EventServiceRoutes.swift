import CollectorConsole
import CollectorModel
import CollectorStore
import Foundation
import Hummingbird
import LegacyHTTP

/// The event service's read side (seed 002): ping, and one event read
/// back. `POST /log/event/` is one of the `EventIntakeRoutes`.
struct EventServiceRoutes: Sendable {
    let store: any Store
    let auth: HTTPAuthentication

    /// `/ping` is also InfluxDB's: the event service's client asks for
    /// `/ping/` with `Accept: application/json` and gets its JSON; InfluxDB's
    /// clients (which send no such `Accept`) get InfluxDB's 204. Hummingbird
    /// ignores a trailing slash in routing, so the raw path is read. `/` is
    /// the ping for the old clients and the console for a browser, told
    /// apart by what they accept.
    func register(on router: Router<CollectorRequestContext>) {
        router.get("/") { request, _ in
            guard Console.wantsConsole(accept: request.headers[.accept]) else { return Self.status() }
            return Response(status: .seeOther, headers: [.location: "/console/"])
        }
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/ping", method: method) { request, _ in
                let wantsJSON = request.headers[.accept]?.contains("application/json") == true || request.uri.path.hasSuffix("/")
                return wantsJSON && method == .get ? Self.status() : InfluxRoutes.pong()
            }
        }
        router.get("/log/event/:id") { request, context in try await readEvent(request, id: context.parameters.get("id") ?? "") }
    }

    static func status() -> Response {
        .json(.ok, JSONText.object([("status", JSONText.string("ok")), ("name", JSONText.string("stats-service")),
                                    ("version", JSONText.string(CollectorVersion.string))]))
    }

    func readEvent(_ request: Request, id: String) async throws -> Response {
        if let refusal = try await auth.eventService(request, requiring: .read) { return refusal }
        let id = id.removingPercentEncoding ?? id
        guard let event = try await store.event(id: id) else {
            return LegacyErrorMiddleware<CollectorRequestContext>.response(.notFound, "No event with id \(id)")
        }
        var object = (try? JSONValue(parsing: Array(event.fieldsJSON.utf8)))?.object ?? [:]
        object["event_id"] = .string(event.id)
        object["time"] = .string(LegacyTime.rfc3339Fraction(event.time))
        return .json(.ok, JSONText.value(.object(object)))
    }
}
