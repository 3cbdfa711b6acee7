@testable import AgentKit
import CollectorModel
import CollectorServer
import Foundation
import Testing

/// What the real upstream clients and servers disagreed with us on (issue
/// 13), each over real HTTP against a real collector or agent, answered as
/// the upstream servers answered.
@Suite("Legacy clients, as upstream answered", .serialized)
struct LegacyClientsTests {
    static func config(raw: Int? = 90, minute: Int? = 90, hour: Int? = 1095, day: Int? = nil) -> CollectorConfig {
        var config = RunningCollector.testConfig
        func days(_ value: Int?) -> ConfigDurationValue? { value.map { ConfigDurationValue(.seconds(Int64($0) * 86400)) } }
        config.retention.raw = days(raw)
        config.retention.minute = days(minute)
        config.retention.hour = days(hour)
        config.retention.day = days(day)
        return config
    }

    /// A collector-wide token that every legacy route takes.
    static func token(_ collector: RunningCollector) async throws -> String {
        try await collector.createToken(scopes: ["ingest", "read", "aggregate"], site: "legacy", name: "legacy-client")
    }

    static func base(_ collector: RunningCollector) -> String { "http://127.0.0.1:\(collector.addresses.httpPort)" }

    // MARK: 1. Nothing accepted is lost

    /// With the default retention (raw 90 days, day rollups forever), last
    /// year's events are taken and found, at the resolution still kept.
    @Test func eventsOlderThanTheRawRetentionAreKeptByTheRollups() async throws {
        let directory = try TemporaryDirectory("old-events")
        let collector = try await RunningCollector.start(dataDirectory: directory.path, config: Self.config())
        let token = try await Self.token(collector)
        let base = Self.base(collector)
        let auth = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
        for (time, value) in [("2020-11-12T11:10:00", 4), ("2020-11-12T15:00:00", 8)] {
            let tracked = try await http("POST", base + "/api/track/", headers: auth,
                                         body: #"{"namespace": "shop", "name": "old", "timestamp": "\#(time)", "value": \#(value)}"#)
            #expect(tracked.status == 201, "\(tracked.body)")
        }
        // Read back once compacted: only the day rollups keep 2020 (hours
        // are kept three years), so it is answered a day at a time.
        #expect(await eventually { (try? await collector.store.ingestBacklog()) == 0 })
        let daily = try await http("GET", base + "/api/events/shop/old?granularity=day&aggregationType=avg", headers: auth)
        #expect(daily.body == #"[{"aggregatedTimestamp":"2020-11-12T11:10:00Z","value":6.0}]"#)
        let windowed = try await http("GET", base + "/api/events/shop/old?tsMin=1605139200&tsMax=1605225599&aggregationType=max", headers: auth)
        #expect(windowed.body == #"[{"aggregatedTimestamp":"2020-11-12T11:10:00Z","value":8}]"#)

        let logged = try await http("POST", base + "/log/event/", headers: ["Authorization": "Token \(token)"],
                                    body: #"{"uid": 1, "event": "old", "now": 1600000000}"#)
        #expect(logged.status == 200)
        let id = try #require(logged.json as? String)
        #expect(try await http("GET", base + "/log/event/\(id)", headers: ["Authorization": "Token \(token)"]).status == 200)
        await collector.stop()
    }

    /// When every level expires, what no level keeps is refused, at the
    /// collector and at an agent's intake alike, with the same words; what
    /// the intake accepts arrives.
    @Test func theIntakeRefusesExactlyWhatTheCollectorRefuses() async throws {
        let directory = try TemporaryDirectory("same-rules")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"),
                                                         config: Self.config(raw: 30, minute: 30, hour: 60, day: 400))
        let token = try await Self.token(collector)
        let agent = try await RunningAgent(config: RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: token))
        #expect(await eventually { await agent.runtime.ports.intake != nil && agent.status.registrations > 0 })
        let port = try #require(await agent.runtime.ports.intake)
        let intake = "http://127.0.0.1:\(port)"
        let base = Self.base(collector)

        let cases: [(path: String, body: String, field: String)] = [
            ("/api/track/", #"{"namespace": "shop", "name": "old", "timestamp": "2020-11-12T11:10:00", "value": 1}"#, "timestamp"),
            ("/log/event/", #"{"uid": 1, "event": "old", "now": 1600000000}"#, "now"),
            ("/log/event/", #"{"uid": "\#(String(repeating: "u", count: 600))", "event": "long-uid"}"#, "uid"),
            ("/api/track/", #"{"namespace": "shop", "name": "ahead", "timestamp": "2100-01-01T00:00:00", "value": 1}"#, "timestamp"),
        ]
        for (path, body, field) in cases {
            let scheme = path.hasPrefix("/log") ? "Token" : "Bearer"
            let headers = ["Authorization": "\(scheme) \(token)", "Content-Type": "application/json"]
            let atCollector = try await http("POST", base + path, headers: headers, body: body)
            let atIntake = try await http("POST", intake + path, headers: ["Content-Type": "application/json"], body: body)
            #expect(atCollector.status == 400, "\(path) \(body.prefix(80))")
            #expect(atIntake.status == 400, "\(path) \(body.prefix(80))")
            #expect(atIntake.body == atCollector.body, "\(path)")
            #expect(atIntake.body.contains(field), "\(atIntake.body)")
        }
        #expect(await agent.runtime.spool.stats.lastSequence == 0)

        let recent = try await http("POST", intake + "/api/track/", body: #"{"namespace": "shop", "name": "recent", "value": 3}"#)
        #expect(recent.status == 201)
        #expect(await eventually { (try? await collector.store.points(namespace: "shop", name: "recent", from: .distantPast, to: .distantFuture).count) == 1 })
        await agent.stop()
        await collector.stop()
    }

    /// A record the collector refuses inside an agent's batch is refused
    /// alone: the events before and after it, in the same batch and in the
    /// next, all arrive, and the agent keeps the batch with the reason.
    @Test func validEventsAroundAnInvalidOneAllArrive() async throws {
        let directory = try TemporaryDirectory("refused-record")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let token = try await Self.token(collector)
        let agent = try await RunningAgent(config: RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: token))
        #expect(await eventually { agent.status.registrations > 0 })
        let now = Date()
        func event(_ name: String, at time: Date) -> Event {
            Event(id: "id-\(name)", namespace: "around", name: name, time: time, value: 1, uid: "u")
        }
        // Straight into the pipeline, past the intake: as an input could.
        try await agent.runtime.builder.add(event("before", at: now))
        try await agent.runtime.builder.add(event("ancient", at: Date(timeIntervalSince1970: 500_000_000)))
        try await agent.runtime.builder.add(event("after", at: now))
        try await agent.runtime.builder.flush()
        try await agent.runtime.builder.add(event("next-batch", at: now))
        try await agent.runtime.builder.flush()

        #expect(await eventually { (try? await collector.store.event(id: "id-next-batch")) != nil })
        for name in ["before", "after", "next-batch"] {
            #expect(try await collector.store.event(id: "id-\(name)") != nil, "\(name)")
        }
        #expect(try await collector.store.event(id: "id-ancient") == nil)
        #expect(agent.status.refusedRecords == 1)
        #expect(await agent.runtime.spool.stats.batches == 0)
        let quarantine = directory.file("agent/spool/quarantine")
        let reasons = try FileManager.default.contentsOfDirectory(atPath: quarantine).filter { $0.hasSuffix(".refused") }
        #expect(reasons.count == 1)
        let reason = try #require(reasons.first)
        let text = try String(contentsOfFile: (quarantine as NSString).appendingPathComponent(reason), encoding: .utf8)
        #expect(text.hasPrefix("events[1].time: "), "\(text)")
        #expect(text.contains("before 1990"))
        await agent.stop()
        await collector.stop()
    }

    // MARK: 2. The event service keeps `now` as given

    @Test func theEventServiceTakesItsOwnREADMEExample() async throws {
        let directory = try TemporaryDirectory("event-now")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let token = try await Self.token(collector)
        let base = Self.base(collector)
        let auth = ["Authorization": "Token \(token)"]
        let before = Date()
        let logged = try await http("POST", base + "/log/event/", headers: auth,
                                    body: #"{"event": "pnc.test", "uid": "oisin", "now": "Mon 25 Apr 2016 13:29:48 BST", "datetime": null}"#)
        #expect(logged.status == 200, "\(logged.body)")
        let id = try #require(logged.json as? String)
        let read = try #require(try await http("GET", base + "/log/event/\(id)", headers: auth).json as? [String: Any])
        #expect(read["now"] as? String == "Mon 25 Apr 2016 13:29:48 BST")
        #expect(read["datetime"] is NSNull)
        // The series time is the arrival: `now` is not a number.
        let stored = try #require(try await collector.store.event(id: id))
        #expect(abs(stored.time.timeIntervalSince(before)) < 30)

        let numeric = try await http("POST", base + "/log/event/", headers: auth, body: #"{"event": "pnc.test", "uid": 7, "now": 1461587388.5}"#)
        let numericID = try #require(numeric.json as? String)
        let numericEvent = try #require(try await collector.store.event(id: numericID))
        #expect(numericEvent.time == Date(timeIntervalSince1970: 1461587388.5))

        let absent = try await http("POST", base + "/log/event/", headers: auth, body: #"{"event": "pnc.test", "uid": 8}"#)
        let absentID = try #require(absent.json as? String)
        let added = try #require(try await http("GET", base + "/log/event/\(absentID)", headers: auth).json as? [String: Any])
        #expect(((added["now"] as? Double) ?? 0) > before.timeIntervalSince1970 - 1)
        await collector.stop()
    }

    // MARK: 4-11. The tracking API

    @Test func theTrackingAPIAnswersAsDjangoRESTFrameworkDid() async throws {
        let directory = try TemporaryDirectory("tracking-upstream")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let token = try await Self.token(collector)
        let base = Self.base(collector)
        let auth = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]

        // 4. Percent-encoded path segments, the seed README's own example.
        for value in [1, 99, 50] {
            let tracked = try await http("POST", base + "/api/track/", headers: auth, body: """
                {"namespace": "this is namespace", "name": "this is a name", "timestamp": "2020-11-12T11:10:00", "value": \(value)}
                """)
            #expect(tracked.status == 201)
            // 5. Integers echo as integers.
            #expect(tracked.body.contains(#""value":\#(value)}"#), "\(tracked.body)")
            #expect(tracked.body.contains(#""timestamp":"2020-11-12T11:10:00Z""#))
        }
        let path = base + "/api/events/this%20is%20namespace/this%20is%20a%20name"
        #expect(try await http("GET", path + "?aggregationType=max", headers: auth).body
            == #"[{"aggregatedTimestamp":"2020-11-12T11:10:00Z","value":99}]"#)
        #expect(try await http("GET", path + "?aggregationType=min", headers: auth).body
            == #"[{"aggregatedTimestamp":"2020-11-12T11:10:00Z","value":1}]"#)
        #expect(try await http("GET", path + "?aggregationType=avg", headers: auth).body
            == #"[{"aggregatedTimestamp":"2020-11-12T11:10:00Z","value":50.0}]"#)
        #expect(try await http("GET", path + "/?aggregationType=avg", headers: auth).status == 200)

        // 6. Fractional seconds kept to the microsecond.
        let fraction = try await http("POST", base + "/api/track/", headers: auth,
                                      body: #"{"namespace": "f", "name": "f", "timestamp": "2020-11-12T11:10:00.123456", "value": 2.5}"#)
        #expect(fraction.body.contains(#""timestamp":"2020-11-12T11:10:00.123456Z""#), "\(fraction.body)")
        #expect(fraction.body.contains(#""value":2.5"#))
        #expect(try await http("GET", base + "/api/events/f/f", headers: auth).body
            == #"[{"aggregatedTimestamp":"2020-11-12T11:10:00.123456Z","value":2.5}]"#)

        // 7. A number for namespace or name is its text.
        let numbers = try await http("POST", base + "/api/track/", headers: auth, body: #"{"namespace": 7, "name": 8.5, "value": 1}"#)
        #expect(numbers.status == 201)
        let echoed = try #require(numbers.json as? [String: Any])
        #expect(echoed["namespace"] as? String == "7")
        #expect(echoed["name"] as? String == "8.5")

        // 8. Form-encoded and multipart bodies.
        let form = try await http("POST", base + "/api/track/", headers: ["Authorization": "Bearer \(token)",
                                                                          "Content-Type": "application/x-www-form-urlencoded"],
                                  body: "namespace=form+space&name=n%C3%A4me&value=3&timestamp=2020-11-12T11%3A10%3A00")
        #expect(form.status == 201, "\(form.body)")
        #expect(form.body.contains(#""namespace":"form space""#) && form.body.contains(#""name":"näme""#), "\(form.body)")
        let boundary = "----collector-test"
        let multipart = ["namespace": "multi", "name": "part", "value": "4"].sorted { $0.key < $1.key }.map { key, value in
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n"
        }.joined() + "--\(boundary)--\r\n"
        let parted = try await http("POST", base + "/api/track/", headers: ["Authorization": "Bearer \(token)",
                                                                            "Content-Type": "multipart/form-data; boundary=\(boundary)"],
                                    body: multipart)
        #expect(parted.status == 201, "\(parted.body)")
        #expect(parted.body.contains(#""value":4"#))

        // 9. tsMin after tsMax is an empty window.
        let empty = try await http("GET", path + "?tsMin=1605181200&tsMax=1605179400", headers: auth)
        #expect(empty.status == 200)
        #expect(empty.body == "[]")

        // 10. A wrong method on a known path.
        for (method, url, allow) in [("GET", base + "/api/track/", "POST, OPTIONS"), ("PUT", base + "/api/track/", "POST, OPTIONS"),
                                     ("POST", path, "GET, HEAD, OPTIONS"), ("DELETE", path, "GET, HEAD, OPTIONS"),
                                     ("GET", base + "/o/token/", "POST, OPTIONS")] {
            let response = try await http(method, url, headers: ["Authorization": "Bearer \(token)"])
            #expect(response.status == 405, "\(method) \(url)")
            #expect(response.headers["allow"] == allow, "\(method) \(url)")
            #expect(response.body == #"{"detail":"Method \"\#(method)\" not allowed."}"#)
        }

        // 11. Error texts in DRF's words.
        let nulls = try await http("POST", base + "/api/track/", headers: auth, body: #"{"namespace": null, "name": "x", "value": null}"#)
        #expect(nulls.status == 400)
        #expect(nulls.body == #"{"namespace":["This field may not be null."],"value":["This field may not be null."]}"#)
        let notJSON = try await http("POST", base + "/api/track/", headers: auth, body: "{nope")
        #expect(notJSON.status == 400)
        #expect((notJSON.json as? [String: String])?["detail"]?.hasPrefix("JSON parse error - ") == true, "\(notJSON.body)")
        let invalid = try await http("POST", base + "/api/track/", headers: ["Authorization": "Bearer not-a-token-at-all"], body: "{}")
        #expect(invalid.status == 401)
        #expect(invalid.headers["www-authenticate"]
            == #"Bearer realm="api", error="invalid_token", error_description="The access token is invalid.""#)
        #expect(invalid.body == #"{"detail":"Authentication credentials were not provided."}"#)
        let missing = try await http("POST", base + "/api/track/", body: "{}")
        #expect(missing.headers["www-authenticate"] == #"Bearer realm="api""#)
        await collector.stop()
    }

    // MARK: 12. The pinger's hours for the same sweeps

    /// Sweeps stored as an agent sends them; the CSV and the hourly chart
    /// over HTTP give the seed's figures: a PC on from 12:45 past midnight
    /// (11.249722222222223 h, the seed's 11.2497), one seen up at a single
    /// sweep (5 minutes, 0.0833 h), one never on.
    @Test func thePingerRoutesGiveTheSeedsHoursForTheSameSweeps() async throws {
        let directory = try TemporaryDirectory("pinger-hours")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let token = try await Self.token(collector)
        _ = try await collector.store.register(AgentRegistration(agentID: "lab-agent", site: "legacy", hostname: "lab", agentVersion: "1",
                                                                 instance: nil, instanceUUID: nil), at: Date())
        let pool = try await collector.store.createPool(Pool(name: "room", room: "R 1.01", watts: 60, agentID: "lab-agent",
                                                             interval: .seconds(300), computers: ["10.0.0.1", "10.0.0.2", "10.0.0.3"]))
        let dayStart = Date(timeIntervalSince1970: 1_710_028_800)  // 2024-03-10T00:00:00Z
        var results: [Reachability] = []
        var offset: TimeInterval = 12 * 3600
        while offset <= 26 * 3600 {
            let time = dayStart.addingTimeInterval(offset)
            results.append(Reachability(poolID: pool.id, address: "10.0.0.1", time: time, up: offset >= 12 * 3600 + 45 * 60 && offset < 26 * 3600))
            results.append(Reachability(poolID: pool.id, address: "10.0.0.2", time: time, up: offset == 15 * 3600))
            results.append(Reachability(poolID: pool.id, address: "10.0.0.3", time: time, up: false))
            offset += 300
        }
        _ = try await collector.store.commit([IngestBatch(agentID: "lab-agent", sequence: 1, reachability: results)], at: Date())

        let base = Self.base(collector)
        let auth = ["Authorization": "Bearer \(token)"]
        let csv = try await http("GET", base + "/pingerservice/api/csv/pool/?pool_ids=\(pool.id)&start_date=2024-03-10&end_date=2024-03-11",
                                 headers: auth)
        #expect(csv.status == 200)
        let total = 40799.0 / 60 / 60
        let rows = csv.body.split(separator: "\n").map(String.init)
        #expect(rows.count == 3)
        #expect(rows[1] == #""2024-03-10","","R 1.01","\#(JSONText.float(total))","\#(JSONText.float(total / 2))","\#(JSONText.float(total * 60))","3""#)
        #expect(rows[2] == #""2024-03-11","","R 1.01","2.0","2.0","120.0","3""#)
        #expect(JSONText.float(40499.0 / 60 / 60) == "11.249722222222223")

        let chart = try await http("GET", base + "/pingerservice/api/chart/pool/\(pool.id)/2024/3/10/", headers: auth)
        let data = try #require((chart.json as? [String: Any])?["poolData"] as? [[String: Int]])
        // 10.0.0.1 from 13:00 to 23:00; 10.0.0.2 at 15:00 (up at 15:00, down at 15:05).
        #expect(data.map { $0["y"] ?? -1 } == (0..<24).map { hour in (hour >= 13 ? 1 : 0) + (hour == 15 ? 1 : 0) })
        await collector.stop()
    }
}
