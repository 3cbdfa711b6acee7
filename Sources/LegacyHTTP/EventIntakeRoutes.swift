import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird

/// The routes that take events: the event service's `POST /log/event/`
/// (seed 002) and the tracking API's `POST /api/track/` (seed 003). The
/// collector's legacy bridge and an agent's local intake both serve these,
/// with one parser and one validator, so an answer from either means the
/// same: the events are durable and the collector will keep them.
public struct EventIntakeRoutes: Sendable {
    let sink: any EventSink
    let authorizer: any LegacyAuthorizer
    /// Read for every request: an agent learns the collector's rules when
    /// it registers.
    let rules: @Sendable () -> LegacyEventBody.Rules

    public init(sink: any EventSink, authorizer: any LegacyAuthorizer, rules: @escaping @Sendable () -> LegacyEventBody.Rules) {
        self.sink = sink
        self.authorizer = authorizer
        self.rules = rules
    }

    /// Hummingbird ignores a trailing slash, so each path serves both forms.
    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.post("/log/event") { request, _ in try await logEvent(request) }
        router.post("/api/track") { request, _ in try await track(request) }
        // DRF authenticates before it looks at the method: GET asks for the
        // read scope, the other writes for write.
        let authorizer = authorizer
        MethodNotAllowed(allowing: [.post]).register(on: router, path: "/api/track") { request in
            try await authorizer.trackingAPI(request, requiring: [.get, .head].contains(request.method) ? .read : .ingest)
        }
    }

    func logEvent(_ request: Request) async throws -> Response {
        if let refusal = try await authorizer.eventService(request, requiring: .ingest) { return refusal }
        let rules = rules()
        var request = request
        let body = try await request.collectBody(upTo: rules.maxBodyBytes)
        let parsed: LegacyEventBody.Parsed
        do {
            parsed = try LegacyEventBody.parseEventService(Array(buffer: body), rules: rules)
        } catch {
            return .json(.badRequest, LegacyEventBody.errorBody(error.description))
        }
        switch parsed {
        case .single(let event):
            try await sink.accept([event])
            return .json(.ok, JSONText.string(event.id))
        case .points(let events):
            try await sink.accept(events)
            return .json(.ok, JSONText.string("OK"))
        }
    }

    func track(_ request: Request) async throws -> Response {
        if let refusal = try await authorizer.trackingAPI(request, requiring: .ingest) { return refusal }
        let rules = rules()
        var request = request
        let body = try await request.collectBody(upTo: rules.maxBodyBytes)
        let event: Event
        do throws(TrackErrors) {
            let object = try RequestFields.object(Array(buffer: body), contentType: request.headers[.contentType])
            event = try TrackBody.event(from: object, rules: rules.ingest)
        } catch {
            return .json(.badRequest, TrackBody.errorBody(error))
        }
        try await sink.accept([event])
        return .json(.created, TrackBody.echo(event))
    }
}
