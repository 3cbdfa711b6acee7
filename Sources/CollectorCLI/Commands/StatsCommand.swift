import ArgumentParser
import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Instance statistics: the country distribution and every configured chart.",
        discussion: "Charts come from crawl.fields in the collector's config. Example: collectorctl stats --json")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: JSONFlag

    func run() async throws {
        let statistics = try await connection.withClient { client, metadata in
            try await Collector_V1_Query.Client(wrapping: client).instanceStatistics(Collector_V1_InstanceStatisticsRequest(), metadata: metadata)
        }
        if output.json { return print(try Output.json(statistics)) }
        print("\(statistics.total) instance\(statistics.total == 1 ? "" : "s"), \(statistics.active) active (crawling enabled)\n")
        var countries = Table(["COUNTRY", "INSTANCES", "PERCENT", ""], rightAligned: [1, 2])
        for share in statistics.countries {
            countries.add([share.country, String(share.count), String(printf: "%.1f%%", share.percent), Bar.render(share.percent, of: 100)])
        }
        print(countries.render())
        for chart in statistics.charts {
            let what = chart.aggregation == "count" ? "instances per value" : "\(chart.aggregation) by \(chart.aggregateBy)"
            print("\n\(chart.label) (\(chart.chartType) chart, \(what))")
            let largest = chart.rows.map(\.value).max() ?? 0
            var table = Table([chart.aggregation == "count" ? chart.label.uppercased() : chart.aggregateBy.uppercased(),
                               chart.aggregation.uppercased(), ""], rightAligned: [1])
            for row in chart.rows {
                table.add([row.key, Bar.number(row.value), chart.chartType == "line" ? "" : Bar.render(row.value, of: largest)])
            }
            print(table.render())
        }
        if !statistics.registrations.isEmpty {
            print("\nRegistrations per day (UTC)")
            var table = Table(["DAY", "NEW", "CUMULATIVE"], rightAligned: [1, 2])
            for day in statistics.registrations { table.add([day.day, String(day.count), String(day.cumulative)]) }
            print(table.render())
        }
    }
}

/// Horizontal bars for bar and pie charts on a terminal.
enum Bar {
    static func render(_ value: Double, of largest: Double, width: Int = 30) -> String {
        guard largest > 0, value > 0 else { return "" }
        return String(repeating: "█", count: max(1, Int((value / largest * Double(width)).rounded())))
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(printf: "%.2f", value)
    }
}
