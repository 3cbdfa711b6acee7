import CollectorModel
import CollectorStore
import Foundation
import Hummingbird

/// The statistics `collectorctl stats` prints, from the same
/// `InstanceStatistics`: a world map and the table per country, the
/// registrations per day, the active count, one chart per crawled field
/// with `chart: true`.
struct StatisticsPage<Context: ConsoleRequestContext>: Sendable {
    let backend: ConsoleBackend
    let renderer: PageRenderer

    func register(on group: RouterGroup<Context>) {
        group.get("statistics") { _, context in try await show(context: context) }
    }

    func show(context: Context) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let statistics = InstanceStatistics(try await backend.store.statisticsInputs(), settings: backend.fieldSettings())
        let counts = Dictionary(statistics.countries.map { ($0.country, $0.count) }, uniquingKeysWith: +)
        let registrations = ChartData(id: "registrations", title: "Registered instances, cumulative, per day (UTC)", unit: nil,
                                      keyHeading: "Day", valueHeading: "Instances",
                                      entries: statistics.registrations.map { ($0.day, Double($0.cumulative)) })
        let charts = statistics.charts.map { chart in
            let data = ChartData(id: "chart-\(chart.field)", title: chart.label, unit: nil,
                                 keyHeading: chart.aggregation == .count ? chart.label : (chart.aggregateBy ?? "country"),
                                 valueHeading: chart.aggregation == .count ? "Instances" : "\(chart.aggregation.rawValue) of \(chart.label)",
                                 entries: chart.rows.map { ($0.key, $0.value) })
            let view = switch chart.type {
            case .bar: ChartDrawing.bar(data, xTitle: data.keyHeading)
            case .line: ChartDrawing.line(data, xTitle: data.keyHeading)
            case .pie: ChartDrawing.pie(data)
            }
            return renderer.fragment("chart", view)
        }
        let model: [String: Any] = [
            "total": statistics.total, "active": statistics.active, "countryCount": statistics.countries.count,
            "map": renderer.fragment("world-map", WorldMap.choropleth(id: "world-map", title: "Instances per country", counts: counts)),
            "countries": statistics.countries.map { ["country": $0.country, "count": String($0.count), "percent": NumberText.percent($0.percent)] },
            "registrations": renderer.fragment("chart", ChartDrawing.line(registrations, xTitle: "Day")),
            "charts": charts, "hasCharts": !charts.isEmpty,
        ]
        return renderer.page("statistics", title: "Statistics", section: .statistics, signedIn: signedIn, model: model)
    }
}
