import CollectorConsole
import CollectorModel
import Foundation
import Testing

/// The statistics page with instances in real countries (the browser test's
/// instances are all on loopback, so 'unknown'): the map shades exactly the
/// countries that have instances, with their counts, and the table's
/// percentages are the store's.
@Suite("Console statistics: the country distribution", .serialized)
struct ConsoleStatisticsTests {
    @Test func theMapShadesEachCountryByItsCountAndTheTableGivesItsShare() async throws {
        let directory = try TemporaryDirectory("console-statistics")
        // The crawl scheduler locates new instances again (its first tick
        // may come after they are registered): on loopback, with a table
        // that gives each address the country it is registered with, any
        // such look-up agrees. Port 9 refuses the crawl at once.
        let ranges = (directory.path as NSString).appendingPathComponent("geoip")
        try "127.0.0.2,127.0.0.4,DE\n127.0.0.5,127.0.0.5,FR\n".write(toFile: ranges, atomically: true, encoding: .utf8)
        var config = RunningCollector.testConfig
        config.crawl.geoipIPv4 = ranges
        let collector = try await RunningCollector.start(dataDirectory: directory.path, config: config)
        defer { Task { await collector.stop() } }
        let now = Date()
        for (index, country) in ["DE", "DE", "DE", "FR"].enumerated() {
            _ = try await collector.store.registerInstance(
                InstanceInfo(url: "https://127.0.0.\(index + 2):9/", contact: "C", email: "c@example.org", organization: "O"), country: country, at: now)
        }
        try await collector.store.createUser(UserRecord(name: "vic", role: .viewer, passwordHash: try await PasswordHash.make("viewer-password-1"),
                                                        created: now, passwordChanged: now))
        let browser = ConsoleBrowser(base: "http://127.0.0.1:\(collector.addresses.httpPort)")
        #expect(try await browser.login("vic", "viewer-password-1").status == 303)
        let page = try await browser.get("/console/statistics").body

        #expect(page.contains(#"<b id="total-instances">4</b>"#))
        #expect(page.contains(#"<tr data-country="DE"><td>DE</td><td class="num">3</td><td class="num">75.0%</td></tr>"#), "DE's row")
        #expect(page.contains(#"<tr data-country="FR"><td>FR</td><td class="num">1</td><td class="num">25.0%</td></tr>"#), "FR's row")
        let counted = Self.matches(#"data-country="([A-Z]{2})" data-count="(\d+)""#, in: page)
        #expect(counted == ["DE": "3", "FR": "1"], "shaded: \(counted)")
        #expect(Self.matches(#"data-country="([A-Z]{2})""#, in: page).count > 150, "the whole world is drawn")
    }

    @Test func registrationsCountPerUTCDayAndAccumulate() {
        func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }
        let created = ["2026-12-01T12:00:00Z", "1969-12-31T23:00:00Z", "2026-11-30T23:59:59Z", "2026-12-01T00:00:00Z"]
        let statistics = InstanceStatistics(created.map { InstanceStatistics.Input(country: "DE", document: nil, created: at($0)) },
                                            settings: CrawledFieldSettings())
        #expect(statistics.registrations.map { "\($0.day) \($0.count) \($0.cumulative)" }
            == ["1969-12-31 1 1", "2026-11-30 1 2", "2026-12-01 2 4"])
    }

    /// The first capture group to the second (or to itself) of each match.
    static func matches(_ pattern: String, in text: String) -> [String: String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [:] }
        var found: [String: String] = [:]
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let key = Range(match.range(at: 1), in: text) else { continue }
            let value = match.numberOfRanges > 2 ? Range(match.range(at: 2), in: text).map { String(text[$0]) } : nil
            found[String(text[key])] = value ?? String(text[key])
        }
        return found
    }
}
