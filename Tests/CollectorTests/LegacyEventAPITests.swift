import CollectorModel
import CollectorProto
import CollectorServer
import Foundation
import Testing

/// The event service (seed 002) and the tracking API (seed 003) over real
/// HTTP, checked against `legacy-api.md`.
@Suite("Legacy event APIs", .serialized)
struct LegacyEventAPITests {
    let directory: TemporaryDirectory
    let collector: RunningCollector
    var base: String { "http://127.0.0.1:\(collector.addresses.httpPort)" }

    init() async throws {
        directory = try TemporaryDirectory("legacy-events")
        collector = try await RunningCollector.start(dataDirectory: directory.path)
    }

    func legacyToken() async throws -> String {
        try await collector.createToken(scopes: ["ingest", "read"], site: "legacy", name: "stats-client")
    }

    /// The event service's client asks for `/ping/` with `Accept:
    /// application/json`: its JSON. InfluxDB's clients ask for `/ping`
    /// without it: InfluxDB's 204 (`InfluxAPITests`).
    @Test func pingAnswersWithoutAToken() async throws {
        for (path, headers) in [("/", [:]), ("/ping/", ["Accept": "application/json"]), ("/ping/", [:]),
                                ("/ping", ["Accept": "application/json", "Content-Type": "application/json"])] {
            let response = try await http("GET", base + path, headers: headers)
            #expect(response.status == 200, "\(path) \(headers)")
            let object = try #require(response.json as? [String: Any])
            #expect(object["status"] as? String == "ok")
            #expect(object["name"] as? String == "stats-service")
            #expect(object["version"] as? String == CollectorVersion.string)
        }
        await collector.stop()
    }

    @Test func theOldClientLogsAnObjectAndReadsItBack() async throws {
        let token = try await legacyToken()
        let logged = try await http("POST", base + "/log/event/", headers: ["Authorization": "Token \(token)", "Content-Type": "application/json"],
                                    body: #"{"uid": 42, "event": "login", "browser_name": "firefox", "now": 1700000000.5}"#)
        #expect(logged.status == 200)
        let id = try #require(logged.json as? String)
        #expect(id.range(of: "^entry_[0-9a-f]{32}$", options: .regularExpression) != nil)

        // Header name in any case, prefix optional, trailing slash optional.
        let read = try await http("GET", base + "/log/event/\(id)", headers: ["authorization": token])
        #expect(read.status == 200)
        let event = try #require(read.json as? [String: Any])
        #expect(event["event_id"] as? String == id)
        #expect(event["event"] as? String == "login")
        #expect(event["browser_name"] as? String == "firefox")
        #expect(event["uid"] as? Int == 42)
        #expect(event["time"] as? String == "2023-11-14T22:13:20.500Z")
        #expect(try await http("GET", base + "/log/event/\(id)/", headers: ["Authorization": "Token \(token)"]).status == 200)
        await collector.stop()
    }

    @Test func theNewClientLogsAnArrayOfPoints() async throws {
        let token = try await legacyToken()
        let response = try await http("POST", base + "/log/event", headers: ["Authorization": "Token \(token)"], body: """
            [{"measurement": "page_view", "tags": {"uid": 7, "lang": "en"}, "fields": {"value": 3, "path": "/a"}, "time": "ignored"}]
            """)
        #expect(response.status == 200)
        #expect(response.body == #""OK""#)
        let stored = try await collector.store.events(namespace: LegacyEventBody.statsNamespace, name: "page_view")
        #expect(stored.count == 1)
        #expect(stored.first?.value == 3)
        #expect(stored.first?.uid == "7")
        await collector.stop()
    }

    @Test func badRequestsAreRefusedAndChangeNothing() async throws {
        let token = try await legacyToken()
        let cases: [(String, Int)] = [
            (#"{"event": "x"}"#, 400),                       // no uid
            (#"{"uid": 1}"#, 400),                           // no event
            ("not json", 400),
            (#"[{"tags": {}}]"#, 400),                        // no measurement
            (#"{"uid": 1, "event": "x", "bad key!": 1}"#, 400),
            (#"{"uid": 1, "event": "x", "now": 99999999999}"#, 400),   // far future
        ]
        for (body, status) in cases {
            let response = try await http("POST", base + "/log/event/", headers: ["Authorization": "Token \(token)"], body: body)
            #expect(response.status == status, "\(body)")
            let object = response.json as? [String: Any]
            #expect(object?["success"] as? Bool == false, "\(body)")
            #expect(object?.keys.contains("data") == true)
        }
        for authorization in [nil, "Token nope-nope-nope", "Token \(TokenSecret.generate().text)"] {
            let response = try await http("POST", base + "/log/event/", headers: authorization.map { ["Authorization": $0] } ?? [:],
                                          body: #"{"uid": 1, "event": "x"}"#)
            #expect(response.status == 403)
            #expect((response.json as? [String: Any])?["success"] as? Bool == false)
        }
        #expect(try await collector.store.aggregate(AggregationQuery(namespace: LegacyEventBody.statsNamespace, name: "x",
                                                                     from: .distantPast, to: .distantFuture, granularity: .none, function: .count)).isEmpty)
        let unknown = try await http("GET", base + "/no/such/route")
        #expect(unknown.status == 404)
        #expect((unknown.json as? [String: Any])?["success"] as? Bool == false)
        await collector.stop()
    }

    // MARK: - Tracking API

    func oauthClient(scopes: [String]) async throws -> (id: String, secret: String) {
        let response = try await collector.withClient { client in
            var request = Collector_V1_CreateOAuthClientRequest()
            request.name = "shop"
            request.scopes = scopes
            return try await Collector_V1_Admin.Client(wrapping: client).createOAuthClient(request, metadata: bearer(collector.adminToken))
        }
        return (response.clientID, response.clientSecret)
    }

    func accessToken(_ client: (id: String, secret: String), scope: String? = nil) async throws -> HTTPResult {
        var body = "grant_type=client_credentials"
        if let scope { body += "&scope=" + (scope.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? scope) }
        let basic = Data("\(client.id):\(client.secret)".utf8).base64EncodedString()
        return try await http("POST", base + "/o/token/", headers: ["Authorization": "Basic \(basic)",
                                                                     "Content-Type": "application/x-www-form-urlencoded"], body: body)
    }

    @Test func clientCredentialsTrackAndAggregate() async throws {
        let client = try await oauthClient(scopes: ["write", "aggregation"])
        let tokenResponse = try await accessToken(client)
        #expect(tokenResponse.status == 200)
        let token = try #require((tokenResponse.json as? [String: Any])?["access_token"] as? String)
        let object = try #require(tokenResponse.json as? [String: Any])
        #expect(object["expires_in"] as? Int == 36000)
        #expect(object["token_type"] as? String == "Bearer")
        #expect(object["scope"] as? String == "write aggregation")

        let auth = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
        for (time, value) in [("2020-11-12T11:10:00", 1.0), ("2020-11-12T11:40:00Z", 3.0), ("2020-11-12T12:05:00+00:00", 10.0)] {
            let tracked = try await http("POST", base + "/api/track/", headers: auth,
                                         body: #"{"namespace": "shop", "name": "checkout", "timestamp": "\#(time)", "value": \#(value)}"#)
            #expect(tracked.status == 201)
        }
        let echo = try await http("POST", base + "/api/track/", headers: auth, body: #"{"namespace": "shop", "name": "other", "value": 5}"#)
        let echoed = try #require(echo.json as? [String: Any])
        #expect(Set(echoed.keys) == ["id", "name", "namespace", "timestamp", "value"])
        #expect((echoed["timestamp"] as? String)?.hasSuffix("Z") == true)

        let hourly = try await http("GET", base + "/api/events/shop/checkout?granularity=hour&aggregationType=avg", headers: auth)
        #expect(hourly.status == 200)
        #expect(hourly.body == #"[{"aggregatedTimestamp":"2020-11-12T11:10:00Z","value":2.0},{"aggregatedTimestamp":"2020-11-12T12:05:00Z","value":10.0}]"#)

        // tsMin and tsMax are inclusive UNIX seconds.
        let window = try await http("GET", base + "/api/events/shop/checkout?tsMin=1605179400&tsMax=1605181200&aggregationType=max", headers: auth)
        #expect(window.body == #"[{"aggregatedTimestamp":"2020-11-12T11:10:00Z","value":1},{"aggregatedTimestamp":"2020-11-12T11:40:00Z","value":3}]"#)
        let counted = try await http("GET", base + "/api/events/shop/checkout?granularity=day&aggregationType=count", headers: auth)
        #expect(counted.body == #"[{"aggregatedTimestamp":"2020-11-12T11:10:00Z","value":3}]"#)
        #expect(try await http("GET", base + "/api/events/shop/nothing", headers: auth).body == "[]")

        for query in ["granularity=fortnight", "aggregationType=median", "tsMin=yesterday"] {
            let refused = try await http("GET", base + "/api/events/shop/checkout?\(query)", headers: auth)
            #expect(refused.status == 400, "\(query)")
        }
        await collector.stop()
    }

    @Test func theTrackingAPIRefusesAsDjangoDid() async throws {
        let client = try await oauthClient(scopes: ["read"])
        #expect(try await accessToken((client.id, "wrong")).status == 401)
        #expect(try await accessToken(client, scope: "write").body == #"{"error": "invalid_scope"}"#)
        let readOnly = try #require((try await accessToken(client).json as? [String: Any])?["access_token"] as? String)

        let missing = try await http("POST", base + "/api/track/", body: "{}")
        #expect(missing.status == 401)
        #expect(missing.headers["www-authenticate"] == #"Bearer realm="api""#)
        #expect(missing.body == #"{"detail":"Authentication credentials were not provided."}"#)
        let forbidden = try await http("POST", base + "/api/track/", headers: ["Authorization": "Bearer \(readOnly)"], body: "{}")
        #expect(forbidden.status == 403)
        #expect(forbidden.body == #"{"detail":"You do not have permission to perform this action."}"#)

        let writer = try await oauthClient(scopes: ["write"])
        let token = try #require((try await accessToken(writer).json as? [String: Any])?["access_token"] as? String)
        let invalid = try await http("POST", base + "/api/track/", headers: ["Authorization": "Bearer \(token)"],
                                     body: #"{"namespace": "", "value": "lots", "timestamp": "yesterday"}"#)
        #expect(invalid.status == 400)
        let errors = try #require(invalid.json as? [String: [String]])
        #expect(errors["name"] == ["This field is required."])
        #expect(errors["namespace"] == ["This field may not be blank."])
        #expect(errors["value"] == ["A valid integer is required."])
        #expect(errors["timestamp"] != nil)
        await collector.stop()
    }
}
