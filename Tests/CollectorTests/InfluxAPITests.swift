import CollectorModel
import CollectorServer
import Foundation
import Testing

/// The InfluxDB 1.x HTTP API over real HTTP against a real collector: what
/// the `influxdb` Python client, Grafana and Telegraf send. The answers are
/// compared with a real InfluxDB 1.6 by `scripts/influx-compat`.
@Suite("InfluxDB API", .serialized)
struct InfluxAPITests {
    let directory: TemporaryDirectory
    let collector: RunningCollector
    var base: String { "http://127.0.0.1:\(collector.addresses.httpPort)" }

    init() async throws {
        directory = try TemporaryDirectory("influx-api")
        collector = try await RunningCollector.start(dataDirectory: directory.path)
    }

    func tokens() async throws -> (writer: String, reader: String) {
        (try await collector.createToken(scopes: ["ingest"], site: "telegraf", name: "telegraf"),
         try await collector.createToken(scopes: ["read", "aggregate"], name: "grafana"))
    }

    /// InfluxDB's clients send no `Accept: application/json` to /ping: 204
    /// and the version headers (the `influxdb` client sends `Accept: text/plain`).
    @Test func pingAnswersAsInfluxDB() async throws {
        for headers in [[:], ["Accept": "text/plain", "Content-Type": "application/json"]] {
            let response = try await http("GET", base + "/ping", headers: headers)
            #expect(response.status == 204, "\(headers)")
            #expect(response.headers["x-influxdb-version"]?.isEmpty == false)
        }
        #expect(try await http("HEAD", base + "/ping").status == 204)
        await collector.stop()
    }

    @Test func linesWrittenAreQueriedWithTagsAndFunctions() async throws {
        let (writer, reader) = try await tokens()
        let lines = """
            cpu,host=a,region=eu usage=10.5,count=3i 1700000000000000000
            cpu,host=a,region=eu usage=20.5,count=5i 1700000030000000000
            cpu,host=b,region=us usage=40,count=1i,up=true 1700000060000000000
            """
        let written = try await http("POST", base + "/write?db=telegraf&precision=ns", headers: ["Authorization": "Token \(writer)"], body: lines)
        #expect(written.status == 204, "\(written.body)")
        let q = "SELECT mean(\"usage\") FROM \"cpu\" WHERE time >= 1700000000s AND time < 1700000120s GROUP BY time(1m), \"host\" fill(none)"
        let query = base + "/query?db=telegraf&epoch=s&q=" + (q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let answer = try await http("GET", query + "&u=grafana&p=\(reader)")
        #expect(answer.status == 200, "\(answer.body)")
        let results = try #require((answer.json as? [String: Any])?["results"] as? [[String: Any]])
        let series = try #require(results.first?["series"] as? [[String: Any]])
        #expect(series.count == 2)
        let hostA = try #require(series.first { ($0["tags"] as? [String: String])?["host"] == "a" })
        #expect(hostA["columns"] as? [String] == ["time", "mean"])
        let values = try #require(hostA["values"] as? [[Double]])
        // Epoch-aligned minutes: both of host a's points fall in the one
        // starting at 1699999980 (before the window's start, as InfluxDB labels it).
        #expect(values == [[1_699_999_980, 15.5]])
        let hostB = try #require(series.first { ($0["tags"] as? [String: String])?["host"] == "b" })
        #expect(hostB["values"] as? [[Double]] == [[1_700_000_040, 40]])
        let fields = try await http("GET", base + "/query?db=telegraf&q=SHOW%20FIELD%20KEYS", headers: ["Authorization": "Token \(reader)"])
        #expect(fields.body.contains("\"usage\"") && fields.body.contains("\"float\"") && fields.body.contains("\"integer\""), "\(fields.body)")
        await collector.stop()
    }

    @Test func refusedAsInfluxDBRefuses() async throws {
        let (writer, reader) = try await tokens()
        let noToken = try await http("POST", base + "/write?db=x", body: "m v=1")
        #expect(noToken.status == 401)
        #expect(noToken.body == #"{"error":"authorization failed"}"#)
        // A reader cannot write; a writer cannot read.
        #expect(try await http("POST", base + "/write?db=x&p=\(reader)", body: "m v=1").status == 403)
        #expect(try await http("GET", base + "/query?db=x&q=SHOW%20DATABASES&p=\(writer)").status == 403)
        let noDatabase = try await http("POST", base + "/write?p=\(writer)", body: "m v=1")
        #expect(noDatabase.status == 400)
        #expect(noDatabase.body == #"{"error":"database is required"}"#)
        await collector.stop()
    }

    /// A bad line does not take the good ones down: 400 `partial write`,
    /// the good lines stored.
    @Test func aPartialWriteStoresTheGoodLines() async throws {
        let (writer, _) = try await tokens()
        let body = "m,host=a v=1 1700000000000000000\nm,host=a v= 1700000001000000000\nm,host=a v=3 1700000002000000000\n"
        let answer = try await http("POST", base + "/write?db=partial&p=\(writer)", body: body)
        #expect(answer.status == 400)
        #expect(answer.body.contains("partial write"), "\(answer.body)")
        let stored = try await collector.store.series(namespace: "partial")
        let points = try await collector.store.points(seriesID: try #require(stored.first?.id), from: 0, to: .max)
        #expect(points.map(\.value) == [1, 3])
        await collector.stop()
    }

    /// The event service's events are the measurements it wrote to InfluxDB:
    /// the event's name, its numbers as fields, uid and strings as tags.
    @Test func eventServiceEventsAreMeasurements() async throws {
        let (_, reader) = try await tokens()
        let logger = try await collector.createToken(scopes: ["ingest"], site: "legacy", name: "stats-client")
        let logged = try await http("POST", base + "/log/event/", headers: ["Authorization": "Token \(logger)"],
                                    body: #"{"event": "pnc.user.login", "uid": "oisin", "browser": "firefox", "duration": 2.5}"#)
        #expect(logged.status == 200)
        let q = "SELECT sum(\"duration\"), count(\"value\") FROM \"pnc.user.login\" WHERE \"uid\" = 'oisin' AND time > now() - 1h"
        let answer = try await http("GET", base + "/query?db=stats&q=" + (q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                                    headers: ["Authorization": "Token \(reader)"])
        #expect(answer.status == 200)
        let series = try #require(((answer.json as? [String: Any])?["results"] as? [[String: Any]])?.first?["series"] as? [[String: Any]])
        let row = try #require((series.first?["values"] as? [[Any]])?.first)
        #expect((row[1] as? Double) == 2.5)
        #expect((row[2] as? Double) == 1)
        await collector.stop()
    }

    /// The tracking API's events (and an agent's) are series of their own:
    /// their namespace a database, their name a measurement, `value` its field.
    @Test func trackedEventsAreMeasurementsOfTheirNamespace() async throws {
        let (writer, reader) = try await tokens()
        for value in [1, 3, 10] {
            let tracked = try await http("POST", base + "/api/track/", headers: ["Authorization": "Bearer \(writer)", "Content-Type": "application/json"],
                                         body: #"{"namespace": "shop", "name": "checkout", "value": \#(value)}"#)
            #expect(tracked.status == 201)
        }
        let q = "SELECT sum(\"value\"), count(\"value\") FROM \"checkout\" WHERE time > now() - 1h"
        let answer = try await http("GET", base + "/query?db=shop&epoch=s&q=" + (q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                                    headers: ["Authorization": "Token \(reader)"])
        #expect(answer.status == 200)
        let series = try #require(((answer.json as? [String: Any])?["results"] as? [[String: Any]])?.first?["series"] as? [[String: Any]])
        let row = try #require((series.first?["values"] as? [[Any]])?.first)
        #expect((row[1] as? Double) == 14)
        #expect((row[2] as? Double) == 3)
        await collector.stop()
    }

    /// String fields as InfluxDB keeps them: stored with the request's
    /// numbers before the 204, read raw and by the selectors that take
    /// strings, typed `string` by SHOW FIELD KEYS, refused for the
    /// functions and types InfluxDB refuses, and still there after a restart.
    @Test func stringFieldsAreStoredAndQueried() async throws {
        let (writer, reader) = try await tokens()
        let lines = """
            events,kind=deploy msg="deploy started",severity=1i 1700000000
            events,kind=alert msg="disk \\"full\\"",severity=3i 1700000060
            events,kind=deploy msg="deploy finished",severity=0i 1700000120
            """
        let written = try await http("POST", base + "/write?db=app&precision=s", headers: ["Authorization": "Token \(writer)"], body: lines)
        #expect(written.status == 204, "\(written.body)")

        func result(_ q: String, from collector: RunningCollector) async throws -> [String: Any] {
            let url = "http://127.0.0.1:\(collector.addresses.httpPort)/query?db=app&epoch=s&q="
                + (q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            let answer = try await http("GET", url, headers: ["Authorization": "Token \(reader)"])
            #expect(answer.status == 200, "\(answer.body)")
            return try #require(((answer.json as? [String: Any])?["results"] as? [[String: Any]])?.first, "\(answer.body)")
        }
        func rows(_ q: String, from collector: RunningCollector) async throws -> [[String]] {
            let series = try await result(q, from: collector)["series"] as? [[String: Any]]
            return ((series?.first?["values"] as? [[Any]]) ?? []).map { $0.map { "\($0)" } }
        }
        let all = [["1700000000", "deploy started"], ["1700000060", #"disk "full""#], ["1700000120", "deploy finished"]]
        #expect(try await rows("SELECT msg FROM events", from: collector) == all)
        #expect(try await rows("SELECT last(msg) FROM events", from: collector) == [["1700000120", "deploy finished"]])
        #expect(try await rows("SELECT first(msg), count(msg) FROM events", from: collector) == [["0", "deploy started", "3"]])
        #expect(try await rows("SELECT msg FROM events WHERE msg =~ /deploy/", from: collector) == [all[0], all[2]])
        #expect(try await rows("SELECT * FROM events WHERE kind = 'alert'", from: collector)
            == [["1700000060", "alert", #"disk "full""#, "3"]])
        let mean = try await result("SELECT mean(msg) FROM events", from: collector)
        #expect((mean["error"] as? String)?.contains("unsupported mean iterator type") == true, "\(mean)")
        let fields = try await rows("SHOW FIELD KEYS FROM events", from: collector)
        #expect(fields == [["msg", "string"], ["severity", "integer"]])

        // A string field stays a string, a number a number: a partial write.
        let conflict = try await http("POST", base + "/write?db=app&precision=s", headers: ["Authorization": "Token \(writer)"],
                                      body: "events msg=1.5 1700000180\nevents severity=\"high\" 1700000180\nevents msg=\"ok\" 1700000180")
        #expect(conflict.status == 400)
        #expect(conflict.body.contains(#"input field \"msg\" on measurement \"events\" is type float, already exists as type string dropped=2"#),
                "\(conflict.body)")
        let long = String(repeating: "a", count: 70_000)
        let tooLong = try await http("POST", base + "/write?db=app&precision=s", headers: ["Authorization": "Token \(writer)"],
                                     body: "events msg=\"\(long)\" 1700000240")
        #expect(tooLong.status == 400)
        #expect(tooLong.body.contains(#"is too long, 70000 > 65536"#), "\(tooLong.body)")

        let again = try await collector.restarted()
        #expect(try await rows("SELECT msg FROM events", from: again) == all + [["1700000180", "ok"]])
        #expect(try await rows("SHOW FIELD KEYS FROM events", from: again) == fields)
        await again.stop()
    }
}
