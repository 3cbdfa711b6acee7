import CollectorModel
import CollectorStore
import Foundation
import Hummingbird

/// The event-tracking API (seed 003): OAuth2 client credentials, tracking
/// and time-bucket aggregation, answered as its Django REST framework did.
struct TrackingRoutes: Sendable {
    let store: any Store
    let auth: HTTPAuthentication
    let rules: LegacyEventBody.Rules
    static let accessTokenLifetime: TimeInterval = 36000

    /// The tracking API's scope names and Collector's.
    static let scopeNames: [(legacy: String, scope: Scope)] = [("read", .read), ("write", .ingest), ("aggregation", .aggregate)]

    func register(on router: Router<CollectorRequestContext>) {
        router.post("/o/token/") { request, _ in try await issueToken(request) }
        router.post("/api/track/") { request, _ in try await track(request) }
        router.get("/api/events/:namespace/:name") { request, context in
            try await aggregate(request, namespace: context.parameters.get("namespace") ?? "", name: context.parameters.get("name") ?? "")
        }
    }

    private func detail(_ failure: AuthFailure) -> Response {
        if case .missingScope = failure {
            return .json(.forbidden, JSONText.object([("detail", JSONText.string("You do not have permission to perform this action."))]))
        }
        return .json(.unauthorized, JSONText.object([("detail", JSONText.string("Authentication credentials were not provided."))]),
                     headers: [.wwwAuthenticate: "Bearer realm=\"api\""])
    }

    private static func fieldErrors(_ errors: [String: [String]]) -> Response {
        .json(.badRequest, LegacyEventBody.trackErrorsBody(errors))
    }

    // MARK: POST /api/track/

    func track(_ request: Request) async throws -> Response {
        if case .failure(let failure) = try await auth.authenticate(request, requiring: .ingest) { return detail(failure) }
        var request = request
        let body = try await request.collectBody(upTo: rules.maxBodyBytes)
        let event: Event
        do {
            event = try LegacyEventBody.parseTrack(Array(buffer: body), rules: rules)
        } catch {
            return Self.fieldErrors(error.fields)
        }
        try await store.insertEvents([event], at: Date())
        return .json(.created, LegacyEventBody.trackEcho(event))
    }

    // MARK: GET /api/events/<namespace>/<name>

    func aggregate(_ request: Request, namespace: String, name: String) async throws -> Response {
        if case .failure(let failure) = try await auth.authenticate(request, requiring: .aggregate) { return detail(failure) }
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
        if let tsMin, let tsMax, tsMin > tsMax { errors["tsMin"] = ["tsMin is after tsMax."] }
        guard errors.isEmpty else { return Self.fieldErrors(errors) }

        // Both bounds are inclusive, in whole seconds.
        let from = Date(timeIntervalSince1970: Double(tsMin ?? 0))
        let to = tsMax.map { Date(timeIntervalSince1970: Double($0 + 1)) } ?? .distantFuture
        let buckets = try await store.aggregate(AggregationQuery(namespace: namespace, name: name, from: from, to: to,
                                                                 granularity: granularity, function: function))
        // Each group is labelled with its earliest event's time, as before.
        let items = buckets.sorted { $0.first < $1.first }.map { bucket in
            JSONText.object([
                ("aggregatedTimestamp", JSONText.string(LegacyTime.iso8601Seconds(bucket.first))),
                ("value", function == .count ? String(bucket.count) : JSONText.float(bucket.value)),
            ])
        }
        return .json(.ok, "[" + items.joined(separator: ", ") + "]")
    }

    // MARK: POST /o/token/

    func issueToken(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 10)
        let form = FormBody(Array(buffer: body))
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

/// `application/x-www-form-urlencoded` fields.
struct FormBody {
    private var fields: [String: String] = [:]

    init(_ bytes: [UInt8]) {
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first.flatMap({ Self.decode($0) }) else { continue }
            fields[key] = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
        }
    }

    subscript(key: String) -> String? { fields[key] }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
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
