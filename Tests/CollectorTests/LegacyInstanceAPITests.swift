import CollectorModel
import CollectorServer
import Foundation
import Testing

/// The instance tracker's registration API (seeds 000/001) over real HTTP,
/// checked against `legacy-api.md` section 1.
@Suite("Legacy instance API", .serialized)
struct LegacyInstanceAPITests {
    let directory: TemporaryDirectory
    let collector: RunningCollector
    var base: String { "http://127.0.0.1:\(collector.addresses.httpPort)" }
    let json = ["Content-Type": "application/json"]

    init() async throws {
        directory = try TemporaryDirectory("legacy-instances")
        var config = RunningCollector.testConfig
        config.http.instanceAPIBurst = 1000
        collector = try await RunningCollector.start(dataDirectory: directory.path, config: config)
    }

    func count() async throws -> Int {
        try await collector.store.instances(InstanceQuery()).total
    }

    @Test func registerReadAndPatchAsTheCommunityHubClientDoes() async throws {
        let created = try await http("POST", base + "/api/instance/", headers: json,
                                     body: #"{"url": "https://indico.example.org/", "contact": "Ada", "email": "ada@example.org", "organisation": "CERN"}"#)
        #expect(created.status == 200)
        let uuid = try #require((created.json as? [String: Any])?["uuid"] as? String)
        #expect(uuid.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression) != nil)
        #expect(created.body == #"{"uuid": "\#(uuid)"}"#)

        let read = try await http("GET", base + "/api/instance/\(uuid)")
        #expect(read.status == 200)
        #expect(read.headers["access-control-allow-origin"] == "*")
        let summary = try #require(read.json as? [String: Any])
        #expect(Set(summary.keys) == ["uuid", "enabled", "url", "contact", "email", "organization", "organisation", "registered"])
        #expect(summary["url"] as? String == "https://indico.example.org")
        #expect(summary["organization"] as? String == "CERN")
        #expect(summary["organisation"] as? String == "CERN")
        #expect(read.body.contains(#""enabled": true"#))
        let registered = try #require(summary["registered"] as? String)
        #expect(registered.range(of: #"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$"#, options: .regularExpression) != nil)

        // PATCH: null keys skipped, empty organization accepted, enabled a boolean.
        let patched = try await http("PATCH", base + "/api/instance/\(uuid)", headers: json,
                                     body: #"{"enabled": false, "contact": "Grace", "email": null, "organization": ""}"#)
        #expect(patched.status == 200)
        let after = try #require(patched.json as? [String: Any])
        #expect(after["contact"] as? String == "Grace")
        #expect(after["email"] as? String == "ada@example.org")
        #expect(after["organization"] as? String == "")
        #expect(patched.body.contains(#""enabled": false"#))

        // The alias without /api serves the same instance.
        #expect(try await http("GET", base + "/instance/\(uuid)").status == 200)
        await collector.stop()
    }

    @Test func badRegistrationsAreRefusedAndStoreNothing() async throws {
        let cases: [(String, String)] = [
            (#"{"contact": "Ada", "email": "ada@example.org"}"#, #"{"error": "Missing field", "field": "url"}"#),
            (#"{"url": "https://a.example", "email": "ada@example.org"}"#, #"{"error": "Missing field", "field": "contact"}"#),
            (#"{"url": "https://a.example", "contact": "Ada"}"#, #"{"error": "Missing field", "field": "email"}"#),
            (#"{"url": "ftp://a.example", "contact": "Ada", "email": "ada@example.org"}"#, #"{"error": "Invalid value", "field": "url"}"#),
            (#"{"url": "https://a.example", "contact": "Ada", "email": "not-an-address"}"#, #"{"error": "Invalid value", "field": "email"}"#),
            (#"{"url": 7, "contact": "Ada", "email": "ada@example.org"}"#, #"{"error": "Invalid value", "field": "url"}"#),
            ("this is not json", #"{"error": "Invalid JSON"}"#),
            (#"["url"]"#, #"{"error": "Invalid JSON"}"#),
        ]
        for (body, expected) in cases {
            let response = try await http("POST", base + "/api/instance/", headers: json, body: body)
            #expect(response.status == 400, "\(body)")
            #expect(response.body == expected, "\(body)")
        }
        #expect(try await count() == 0)
        await collector.stop()
    }

    @Test func badPatchesChangeNothing() async throws {
        let created = try await http("POST", base + "/api/instance", headers: json,
                                     body: #"{"url": "https://b.example", "contact": "Bo", "email": "bo@example.org", "organization": "Lab"}"#)
        let uuid = try #require((created.json as? [String: Any])?["uuid"] as? String)
        let before = try await http("GET", base + "/api/instance/\(uuid)").body

        let refused: [(String, String)] = [
            (#"{"url": ""}"#, #"{"error": "Invalid value", "field": "url"}"#),
            (#"{"email": ""}"#, #"{"error": "Invalid value", "field": "email"}"#),
            (#"{"email": "nope", "contact": "Eve"}"#, #"{"error": "Invalid value", "field": "email"}"#),
            (#"{"url": "ftp://b.example"}"#, #"{"error": "Invalid value", "field": "url"}"#),
            (#"{"enabled": "no"}"#, #"{"error": "Invalid value", "field": "enabled"}"#),
            (#"{"contact": "Eve", "admin": true}"#, #"{"error": "Unexpected data", "data": {"admin":true}}"#),
            ("{", #"{"error": "Invalid JSON"}"#),
        ]
        for (body, expected) in refused {
            let response = try await http("PATCH", base + "/api/instance/\(uuid)", headers: json, body: body)
            #expect(response.status == 400, "\(body)")
            #expect(response.body == expected, "\(body)")
        }
        #expect(try await http("GET", base + "/api/instance/\(uuid)").body == before)

        let unknown = UUID().uuidString.lowercased()
        let missing = try await http("GET", base + "/api/instance/\(unknown)")
        #expect(missing.status == 404)
        #expect(missing.body == "{}")
        #expect(missing.headers["access-control-allow-origin"] == "*")
        #expect(try await http("PATCH", base + "/api/instance/\(unknown)", headers: json, body: #"{"contact": "X"}"#).status == 404)
        #expect(try await http("GET", base + "/api/instance/not-a-uuid").status == 404)
        await collector.stop()
    }
}

@Suite("Instance API rate limit", .serialized)
struct InstanceRateLimitTests {
    @Test func eachSourceAddressIsLimitedAndToldWhenToComeBack() async throws {
        let directory = try TemporaryDirectory("instance-rate")
        var config = RunningCollector.testConfig
        config.http.instanceAPIBurst = 2
        config.http.instanceAPIPerMinute = 1
        let collector = try await RunningCollector.start(dataDirectory: directory.path, config: config)
        let url = "http://127.0.0.1:\(collector.addresses.httpPort)/api/instance/\(UUID().uuidString)"
        #expect(try await http("GET", url).status == 404)
        #expect(try await http("GET", url).status == 404)
        let limited = try await http("GET", url)
        #expect(limited.status == 429)
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
        await collector.stop()
    }
}
