import CollectorModel
import CollectorStore
import Foundation
import Hummingbird
import LegacyHTTP

/// The event-tracking API (seed 003): OAuth2 client credentials and
/// time-bucket aggregation, answered as its Django REST framework did.
/// `POST /api/track/` is one of the `EventIntakeRoutes`.
struct TrackingRoutes: Sendable {
    let store: any Store
    let auth: HTTPAuthentication
    static let accessTokenLifetime: TimeInterval = 36000

    /// The tracking API's scope names and Collector's.
    static let scopeNames: [(legacy: String, scope: Scope)] = [("read", .read), ("write", .ingest), ("aggregation", .aggregate)]

    func register(on router: Router<CollectorRequestContext>) {
        router.post("/o/token/") { request, _ in try await issueToken(request) }
        MethodNotAllowed(allowing: [.post]).register(on: router, path: "/o/token/")
        let events: RouterPath = "/api/events/:namespace/:name"
        for method in [HTTPRequest.Method.get, .head] {
            router.on(events, method: method) { request, context in
                try await aggregate(request, namespace: Self.segment(context, "namespace"), name: Self.segment(context, "name"))
            }
        }
        let auth = auth
        MethodNotAllowed(allowing: [.get, .head]).register(on: router, path: events) { request in
            try await auth.trackingAPI(request, requiring: .aggregate)
        }
    }

    /// A path segment, percent-decoded once, as Django routes them.
    static func segment(_ context: CollectorRequestContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    private static func fieldErrors(_ errors: [String: [String]]) -> Response {
        .json(.badRequest, TrackBody.errorBody(TrackErrors(errors)))
    }

    // MARK: GET /api/events/<namespace>/<name>

    func aggregate(_ request: Request, namespace: String, name: String) async throws -> Response {
        if let refusal = try await auth.trackingAPI(request, requiring: .aggregate) { return refusal }
        let parameters = request.uri.queryParameters
        var errors: [String: [String]] = [:]
        func seconds(_ key: String) -> Int64? {
            guard let text = parameters.get(key) else { return nil }
            guard let value = Int64(text), (0...4_000_000_000).contains(value) else {
                errors[key] = ["A valid integer (UNIX seconds) is required."]
                return nil
            }
            return value
        }
        let tsMin = seconds("tsMin")
        let tsMax = seconds("tsMax")
        var granularity = Granularity.none
        if let text = parameters.get("granularity") {
            do { granularity = try Granularity.parse(text) } catch { errors["granularity"] = [error.message] }
        }
        var function = AggregateFunction.avg
        if let text = parameters.get("aggregationType") {
            do { function = try AggregateFunction.parse(text) } catch { errors["aggregationType"] = [error.message] }
        }
        guard errors.isEmpty else { return Self.fieldErrors(errors) }
        // An empty window is empty, as upstream's filter made it.
        if let tsMin, let tsMax, tsMin > tsMax { return .json(.ok, "[]") }

        // Both bounds are inclusive, in whole seconds.
        let from = Date(timeIntervalSince1970: Double(tsMin ?? 0))
        let to = tsMax.map { Date(timeIntervalSince1970: Double($0 + 1)) } ?? .distantFuture
        let buckets = try await store.aggregate(AggregationQuery(namespace: namespace, name: name, from: from, to: to,
                                                                 granularity: granularity, function: function))
        // Each group is labelled with its earliest event's time, as before;
        // Django's Avg is a float, Min and Max of integers are integers.
        let items = buckets.sorted { $0.first < $1.first }.map { bucket in
            let value = switch function {
            case .avg: JSONText.float(bucket.value)
            case .count: String(bucket.count)
            default: JSONText.integerOrFloat(bucket.value)
            }
            return JSONText.compactObject([
                ("aggregatedTimestamp", JSONText.string(DjangoDateTime.format(bucket.first))), ("value", value),
            ])
        }
        return .json(.ok, "[" + items.joined(separator: ",") + "]")
    }

    // MARK: POST /o/token/

    func issueToken(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 10)
        let form = (try? URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))) ?? [:]
        func oauthError(_ status: HTTPResponse.Status, _ code: String) -> Response {
            .json(status, JSONText.object([("error", JSONText.string(code))]))
        }
        var clientID = form["client_id"]
        var clientSecret = form["client_secret"]
        if let header = request.headers[.authorization], let basic = BasicCredentials(header: header) {
            clientID = basic.user
            clientSecret = basic.password
        }
        guard let clientID, let clientSecret, let client = try await store.oauthClient(id: clientID), client.revoked == nil,
              TokenSecret(id: client.id, secret: clientSecret).matches(storedHash: client.secretHash)
        else { return oauthError(.unauthorized, "invalid_client") }
        guard form["grant_type"] == "client_credentials" else { return oauthError(.badRequest, "unsupported_grant_type") }

        let allowed = Self.scopeNames.filter { client.scopes.contains($0.scope) }
        var granted = allowed
        if let requested = form["scope"]?.split(separator: " ").map(String.init), !requested.isEmpty {
            guard requested.allSatisfy({ name in allowed.contains { $0.legacy == name } }) else { return oauthError(.badRequest, "invalid_scope") }
            granted = allowed.filter { requested.contains($0.legacy) }
        }
        let secret = TokenSecret.generate()
        let now = Date()
        try await store.insertToken(TokenRecord(
            id: secret.id, name: "oauth:\(client.name)", secretHash: secret.hash, scopes: Set(granted.map(\.scope)),
            site: client.site, created: now, expires: now.addingTimeInterval(Self.accessTokenLifetime)))
        return .json(.ok, JSONText.object([
            ("access_token", JSONText.string(secret.text)), ("expires_in", String(Int(Self.accessTokenLifetime))),
            ("token_type", JSONText.string("Bearer")), ("scope", JSONText.string(granted.map(\.legacy).joined(separator: " "))),
        ]), headers: [.cacheControl: "no-store"])
    }
}

/// HTTP Basic credentials.
struct BasicCredentials {
    let user: String
    let password: String

    init?(header: String) {
        guard header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":")
        else { return nil }
        user = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
    }
}
