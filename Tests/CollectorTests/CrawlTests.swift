@testable import AgentKit
import CollectorModel
import CollectorProto
import CollectorServer
import Foundation
import GRPCCore
import Testing

/// Crawling against a real local HTTP server: the collector's crawl of
/// agentless instances, the agent's crawl of its own, settings, countries,
/// statistics, filters and sorting.
@Suite("Crawling", .serialized)
struct CrawlTests {
    static let indico33 = #"{"indico_version": "3.3", "python_version": "3.12.1", "debug": false, "users": 150, "rooms": [2, 3, 5]}"#
    static let indico32 = #"{"indico_version": "3.2", "python_version": "3.11.2", "debug": true, "users": 40, "rooms": [1]}"#

    static func fieldSettings() throws -> CrawledFieldSettings {
        try ConfigFile.decode(CrawledFieldSettings.self, yaml: """
            indico_version: {label: Indico version, chart: true, chart_type: pie}
            debug: null
            users: {chart: true, chart_aggregation: sum, chart_aggregate_by: country}
            rooms: {aggregation: sum}
            never_there: {label: Never}
            """)
    }

    /// Two countries on loopback: 127.0.0.1 is "ZZ", 127.0.0.2 is "YY".
    static func config(directory: TemporaryDirectory, timeout: Duration = .milliseconds(500)) throws -> CollectorConfig {
        let ranges = (directory.path as NSString).appendingPathComponent("geoip")
        try "# test ranges\n2130706433,2130706433,ZZ\n2130706434,2130706434,YY\n".write(toFile: ranges, atomically: true, encoding: .utf8)
        var config = RunningCollector.testConfig
        config.http.instanceAPIBurst = 1000
        config.crawl.timeout = ConfigDurationValue(timeout)
        config.crawl.maxResponseBytes = ByteCount(64 << 10)
        config.crawl.fields = try fieldSettings()
        config.crawl.geoipIPv4 = ranges
        return config
    }

    func register(_ collector: RunningCollector, url: String) async throws -> String {
        let response = try await http("POST", "http://127.0.0.1:\(collector.addresses.httpPort)/api/instance/",
                                      headers: ["Content-Type": "application/json"],
                                      body: #"{"url": "\#(url)", "contact": "Ops", "email": "ops@example.org", "organization": "Lab"}"#)
        return try #require((response.json as? [String: Any])?["uuid"] as? String)
    }

    func crawl(_ collector: RunningCollector, uuid: String = "") async throws -> [String: Collector_V1_CrawlProgress] {
        let token = collector.adminToken
        return try await collector.withClient { client in
            var request = Collector_V1_CrawlRequest()
            request.uuid = uuid
            return try await Collector_V1_Admin.Client(wrapping: client).crawl(request, metadata: bearer(token)) { response in
                var byUUID: [String: Collector_V1_CrawlProgress] = [:]
                for try await progress in response.messages { byUUID[progress.instanceUuid] = progress }
                return byUUID
            }
        }
    }

    func instance(_ collector: RunningCollector, _ uuid: String) async throws -> Collector_V1_Instance {
        let token = collector.adminToken
        return try await collector.withClient { client in
            var request = Collector_V1_GetInstanceRequest()
            request.uuid = uuid
            return try await Collector_V1_Query.Client(wrapping: client).getInstance(request, metadata: bearer(token))
        }
    }

    func list(_ collector: RunningCollector, _ configure: (inout Collector_V1_ListInstancesRequest) -> Void) async throws -> [String] {
        var request = Collector_V1_ListInstancesRequest()
        configure(&request)
        let finalRequest = request
        let token = collector.adminToken
        return try await collector.withClient { client in
            try await Collector_V1_Query.Client(wrapping: client).listInstances(finalRequest, metadata: bearer(token)).instances.map(\.uuid)
        }
    }

    @Test func everyOutcomeIsRecordedAndAFailureKeepsTheLastGoodData() async throws {
        let directory = try TemporaryDirectory("crawl-outcomes")
        let site = try await CrawlSite.start()
        let collector = try await RunningCollector.start(dataDirectory: directory.path, config: try Self.config(directory: directory))
        site.set("good", .document(Self.indico33))
        site.set("failing", .status(500))
        site.set("slow", .slow(.seconds(3)))
        site.set("malformed", .malformed)
        site.set("huge", .huge(200 << 10))
        var uuids: [String: String] = [:]
        for name in ["good", "failing", "slow", "malformed", "huge"] {
            uuids[name] = try await register(collector, url: site.url(name))
        }
        // Nothing listens on port 1 of loopback.
        uuids["refused"] = try await register(collector, url: "http://127.0.0.1:1/x")

        let outcomes = try await crawl(collector)
        #expect(outcomes.count == 6)
        func result(_ name: String) -> String? { uuids[name].flatMap { outcomes[$0]?.outcome.result } }
        #expect(result("good") == "ok")
        #expect(result("failing") == "http_status")
        #expect(uuids["failing"].flatMap { outcomes[$0]?.outcome.httpStatus } == 500)
        #expect(result("slow") == "timeout")
        #expect(result("malformed") == "bad_json")
        #expect(result("huge") == "too_large")
        #expect(result("refused") == "refused")

        let good = try #require(uuids["good"])
        let first = try await instance(collector, good)
        #expect(first.lastCrawl.result == "ok")
        #expect(first.crawledJson.contains(#""indico_version":"3.3""#))
        #expect(first.country == "ZZ")
        let failed = try await instance(collector, try #require(uuids["malformed"]))
        #expect(failed.crawledJson.isEmpty)

        // The good instance starts failing: it keeps its data and shows the failure.
        site.set("good", .status(503))
        let again = try await crawl(collector, uuid: good)
        #expect(again[good]?.outcome.result == "http_status")
        let kept = try await instance(collector, good)
        #expect(kept.lastCrawl.result == "http_status")
        #expect(kept.lastCrawl.httpStatus == 503)
        #expect(kept.crawledJson == first.crawledJson)
        #expect(kept.crawlHistory.map(\.result) == ["http_status", "ok"])

        // Crawled numbers are series: users was 150 at the first crawl.
        let users = try await collector.store.points(namespace: "crawl", name: "\(good).users", from: .distantPast, to: .distantFuture)
        #expect(users.map(\.value) == [150])

        await collector.stop()
        await site.stop()
    }

    @Test func settingsShapeFieldsStatisticsFiltersAndSorting() async throws {
        let directory = try TemporaryDirectory("crawl-settings")
        let siteZZ = try await CrawlSite.start(host: "127.0.0.1")
        let siteYY = try await CrawlSite.start(host: "127.0.0.2")
        let collector = try await RunningCollector.start(dataDirectory: directory.path, config: try Self.config(directory: directory))
        siteZZ.set("a", .document(Self.indico33))
        siteZZ.set("b", .document(Self.indico32))
        siteYY.set("c", .document(#"{"indico_version": "3.3", "users": 10, "rooms": [4, 4]}"#))
        siteZZ.set("d", .status(500))
        let a = try await register(collector, url: siteZZ.url("a"))
        let b = try await register(collector, url: siteZZ.url("b"))
        let c = try await register(collector, url: siteYY.url("c"))
        let d = try await register(collector, url: siteZZ.url("d"))
        _ = try await crawl(collector)

        // Labels, hidden fields and aggregations as the settings say.
        let shown = try await instance(collector, a)
        let fields = Dictionary(uniqueKeysWithValues: shown.fields.map { ($0.name, $0) })
        #expect(fields["indico_version"]?.label == "Indico version")
        #expect(fields["python_version"]?.label == "Python version")
        #expect(fields["debug"] == nil)
        #expect(fields["rooms"]?.valueJson == "10")

        let token = collector.adminToken
        let statistics = try await collector.withClient { client in
            try await Collector_V1_Query.Client(wrapping: client).instanceStatistics(.init(), metadata: bearer(token))
        }
        #expect(statistics.total == 4)
        #expect(statistics.countries.map(\.country) == ["ZZ", "YY"])
        #expect(statistics.countries.map(\.count) == [3, 1])
        #expect(abs((statistics.countries.first?.percent ?? 0) - 75) < 0.001)
        let charts = Dictionary(uniqueKeysWithValues: statistics.charts.map { ($0.field, $0) })
        #expect(charts["indico_version"]?.chartType == "pie")
        #expect(charts["indico_version"]?.rows.map(\.key) == ["3.3", "3.2"])
        #expect(charts["indico_version"]?.rows.map(\.value) == [2, 1])
        #expect(charts["users"]?.aggregateBy == "country")
        #expect(charts["users"]?.rows.map(\.key) == ["ZZ", "YY"])
        #expect(charts["users"]?.rows.map(\.value) == [190, 10])

        // Filters on crawled fields compare numbers as numbers.
        #expect(Set(try await list(collector) { $0.filters = [Self.filter("users", "gt", "30")] }) == [a, b])
        #expect(Set(try await list(collector) { $0.filters = [Self.filter("indico_version", "eq", "3.3")] }) == [a, c])
        #expect(try await list(collector) { $0.filters = [Self.filter("debug", "eq", "true")] } == [b])
        #expect(try await list(collector) { $0.crawlState = "failed" } == [d])
        #expect(try await list(collector) { $0.country = "YY" } == [c])
        // Sorted by a crawled number, largest first; instances without it last.
        #expect(try await list(collector) { $0.sortBy = "users"; $0.descending = true } == [a, b, c, d])
        #expect(try await list(collector) { $0.sortBy = "users" } == [c, b, a, d])

        // A filter on a field that is not a field name is refused.
        await #expect(throws: RPCError.self) {
            _ = try await list(collector) { $0.filters = [Self.filter("users') OR 1=1 --", "eq", "1")] }
        }
        await collector.stop()
        await siteZZ.stop()
        await siteYY.stop()
    }

    static func filter(_ field: String, _ comparison: String, _ value: String) -> Collector_V1_FieldFilter {
        var filter = Collector_V1_FieldFilter()
        filter.field = field
        filter.comparison = comparison
        filter.value = value
        return filter
    }

    @Test func anAgentCrawlsTheApplicationBesideIt() async throws {
        let directory = try TemporaryDirectory("agent-crawl")
        let site = try await CrawlSite.start()
        site.set("app", .document(Self.indico33))
        let collector = try await RunningCollector.start(dataDirectory: directory.path, config: try Self.config(directory: directory))
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        var config = RunningAgent.config(stateDir: directory.path + "/agent", collector: collector, token: token)
        config.instance = InstanceInfo(url: site.url("app"), contact: "Ops", email: "ops@example.org", organization: "Lab")
        config.inputs[CrawlInput.self].enabled = true
        config.inputs[CrawlInput.self].interval = ConfigDurationValue(.seconds(1))
        let agent = try await RunningAgent(config: config)

        let uuid = try #require(await eventually { agent.runtime.state.registeredInstance() != nil } ? agent.runtime.state.registeredInstance()?.uuid : nil)
        let arrived = await eventually {
            (try? await collector.store.instance(uuid: uuid))?.lastCrawl?.succeeded == true
        }
        #expect(arrived)
        let stored = try await instance(collector, uuid.uuidString.lowercased())
        #expect(stored.crawledJson.contains(#""users":150"#))
        #expect(stored.agentID == agent.runtime.state.agentID)

        // The collector leaves agent-crawled instances to their agents.
        #expect(try await crawl(collector).isEmpty)
        await agent.stop()
        await collector.stop()
        await site.stop()
    }
}

@Suite("Crawl settings and countries")
struct CrawlSettingsTests {
    @Test func settingsDefaultsAndHiddenFields() throws {
        let settings = try CrawlTests.fieldSettings()
        #expect(settings.label(for: "indico_version") == "Indico version")
        #expect(settings.label(for: "postgres_version") == "Postgres version")
        #expect(settings.isHidden("debug"))
        #expect(!settings.isHidden("users"))
        #expect(settings.setting(for: "rooms").aggregation == .sum)
        #expect(settings.setting(for: "anything").chartType == .bar)
        #expect(settings.setting(for: "anything").chartAggregation == .count)
    }

    @Test(arguments: [
        ("v: {chart_type: donut}", "chart_type"),
        ("v: {aggregation: count}", "aggregation"),
        ("v: {chart_aggregation: median}", "chart_aggregation"),
        ("v: {chart: true, chart_aggregation: sum, chart_aggregate_by: v}", "by itself"),
        ("v: {colour: red}", "colour"),
        ("v: {chart: maybe}", "v.chart"),
    ])
    func invalidSettingsAreClearErrorsAtStart(yaml: String, named: String) {
        do {
            _ = try ConfigFile.decode(CollectorConfig.self, yaml: "crawl:\n  fields:\n    " + yaml)
            Issue.record("accepted \(yaml)")
        } catch {
            #expect("\(error)".contains(named), "\(error)")
        }
    }

    @Test func rangeFilesInBothFormats() throws {
        let directory = try TemporaryDirectory("geoip")
        let v4 = directory.path + "/geoip"
        let v6 = directory.path + "/geoip6"
        try "# comment\n16777216,16777471,AU\n2130706432,2147483647,ZZ\n".write(toFile: v4, atomically: true, encoding: .utf8)
        try "2001:db8::,2001:db8::ffff,DE\n".write(toFile: v6, atomically: true, encoding: .utf8)
        let table = try IPRangeTable(ipv4File: v4, ipv6File: v6)
        #expect(table.country(of: "1.0.0.1") == "AU")
        #expect(table.country(of: "127.0.0.9") == "ZZ")
        #expect(table.country(of: "1.0.1.0") == nil)
        #expect(table.country(of: "2001:db8::42") == "DE")
        #expect(table.country(of: "::ffff:1.0.0.7") == "AU")
        #expect(table.country(of: "not an address") == nil)

        try "1,2\n".write(toFile: v4, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { _ = try IPRangeTable(ipv4File: v4, ipv6File: nil) }
    }

    /// A MaxMind-format database (the committed fixture, written by
    /// Fixtures/make-countries-mmdb.py) answers through libmaxminddb.
    @Test func anMMDBFileAnswersInsteadOfTheRanges() async throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/countries.mmdb").path
        let config = try ConfigFile.decode(CollectorConfig.self, yaml: "crawl:\n  mmdb: \(fixture)\n")
        let database = try config.crawl.countryDatabase()
        #expect(database is MMDBDatabase)
        #expect(database.country(of: "127.0.0.1") == "ZZ")
        #expect(database.country(of: "127.0.0.2") == "YY")
        #expect(database.country(of: "2001:db8::42") == "DE")
        #expect(database.country(of: "10.1.2.3") == nil)
        #expect(database.country(of: "not an address") == nil)
        #expect(await CountryLocator(table: database).country(ofURL: "https://127.0.0.2:8443/x") == "YY")
        #expect(await CountryLocator(table: database).country(ofURL: "http://[2001:db8::42]:8080/") == "DE")

        let directory = try TemporaryDirectory("mmdb-bad")
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: directory.path + "/bad.mmdb"))
        #expect(throws: ConfigError.self) { _ = try MMDBDatabase(path: directory.path + "/bad.mmdb") }
    }

    @Test func unknownHostsAreUnknownNotFailures() async throws {
        let directory = try TemporaryDirectory("geoip-unknown")
        try "2130706433,2130706433,ZZ\n".write(toFile: directory.path + "/geoip", atomically: true, encoding: .utf8)
        let locator = CountryLocator(table: try IPRangeTable(ipv4File: directory.path + "/geoip", ipv6File: nil))
        #expect(await locator.country(ofURL: "http://127.0.0.1:8080/x") == "ZZ")
        #expect(await locator.country(ofURL: "http://localhost/") == "ZZ")
        #expect(await locator.country(ofURL: "http://10.1.2.3/") == "unknown")
        #expect(await locator.country(ofURL: "http://name.invalid/") == "unknown")
        #expect(await locator.country(ofURL: "not a url") == "unknown")
    }
}
