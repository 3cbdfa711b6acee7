import ArgumentParser
import CollectorModel
import CollectorProto
import CollectorWire
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Aggregate one series: events, crawled numbers, host stats, pool runtime.",
        discussion: """
            Example: collectorctl query shop checkout --from 2024-01-01 --to 2024-02-01 --granularity day --fn sum
            Times are ISO 8601 dates or date-times (UTC unless they name a zone); the window is [from, to).
            """)

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Namespace of the series.") var namespace: String
    @Argument(help: "Name of the series.") var name: String
    @Option(help: "Start of the window (default: 24 hours ago).") var from: String?
    @Option(help: "End of the window, excluded (default: now).") var to: String?
    @Option(help: "minute, hour, day, week, month, year or none.") var granularity = "hour"
    @Option(help: "count, sum, avg, min or max.") var fn = "avg"
    @Option(help: "IANA zone for bucket boundaries (default UTC).") var zone: String?
    @Flag(help: "Draw a line chart in the terminal instead of a table.") var chart = false
    @OptionGroup var output: JSONFlag

    func run() async throws {
        var request = Collector_V1_AggregateRequest()
        request.namespace = namespace
        request.name = name
        let now = Date()
        request.fromUnixNano = WireTime.nanos(try from.map { try Self.parseTime($0, option: "--from") } ?? now.addingTimeInterval(-86400))
        request.toUnixNano = WireTime.nanos(try to.map { try Self.parseTime($0, option: "--to") } ?? now)
        request.granularity = granularity
        request.function = fn
        request.timeZone = zone ?? ""
        let buckets = try await connection.withClient { client, metadata in
            try await Collector_V1_Query.Client(wrapping: client).aggregate(request, metadata: metadata).buckets
        }
        // Nothing in the window, or no such series at all: say which.
        if buckets.isEmpty, let missing = try await SeriesSuggestion.missing(namespace: namespace, name: name, connection: connection) {
            throw CLIError(missing, exitCode: 66)
        }
        if output.json { return print(try Output.json(buckets)) }
        if chart { return print(LineChart(values: buckets.map(\.value), labels: buckets.map { Output.time($0.startUnixNano) }).render()) }
        var table = Table(["BUCKET", fn.uppercased(), "POINTS"], rightAligned: [1, 2])
        for bucket in buckets {
            table.add([Output.time(bucket.startUnixNano), Self.format(bucket.value), String(bucket.count)])
        }
        print(table.render())
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(printf: "%.4g", value)
    }

    static func parseTime(_ text: String, option: String) throws -> Date {
        if let date = LegacyTime.parseISO8601(text) { return date }
        if let date = LegacyTime.parseISO8601(text + "T00:00:00Z") { return date }
        throw CLIError("\(option): '\(text)' is not an ISO 8601 date or date-time")
    }
}

/// A line chart drawn with characters: one column per bucket (averaged
/// down to the width), scaled between the smallest and largest value.
struct LineChart {
    var values: [Double]
    var labels: [String]
    var width = 72
    var height = 12

    func render() -> String {
        guard !values.isEmpty else { return "(no data)" }
        let columns = resample(values, to: min(width, values.count))
        let low = columns.min() ?? 0
        let high = columns.max() ?? 0
        let span = high - low == 0 ? 1 : high - low
        var grid = Array(repeating: Array(repeating: Character(" "), count: columns.count), count: height)
        var previous: Int?
        for (x, value) in columns.enumerated() {
            let y = Int(((value - low) / span * Double(height - 1)).rounded())
            let row = height - 1 - y
            if let previous {
                // Join neighbours with a vertical run so the line reads as one.
                for r in min(previous, row)...max(previous, row) where grid[r][x] == " " { grid[r][x] = "│" }
            }
            grid[row][x] = "•"
            previous = row
        }
        let top = QueryCommand.format(high)
        let bottom = QueryCommand.format(low)
        let gutter = max(top.count, bottom.count)
        var lines: [String] = []
        for (index, row) in grid.enumerated() {
            let label = index == 0 ? top : index == height - 1 ? bottom : ""
            lines.append(String(repeating: " ", count: gutter - label.count) + label + " ┤" + String(row))
        }
        lines.append(String(repeating: " ", count: gutter) + " └" + String(repeating: "─", count: columns.count))
        lines.append(String(repeating: " ", count: gutter + 2) + (labels.first ?? "") + "  …  " + (labels.last ?? ""))
        return lines.joined(separator: "\n")
    }

    private func resample(_ values: [Double], to count: Int) -> [Double] {
        guard values.count > count else { return values }
        return (0..<count).map { index in
            let start = index * values.count / count
            let end = max(start + 1, (index + 1) * values.count / count)
            let slice = values[start..<end]
            return slice.reduce(0, +) / Double(slice.count)
        }
    }
}
