import CollectorModel
import CollectorStore
import Foundation
import Hummingbird

/// The series there are (`collectorctl series list`) and one series
/// aggregated over a window (`collectorctl query`): the same store calls,
/// the same defaults (the last 24 hours, UTC).
struct EventsPage<Context: ConsoleRequestContext>: Sendable {
    static var seriesShown: Int { 200 }

    let backend: ConsoleBackend
    let renderer: PageRenderer

    func register(on group: RouterGroup<Context>) {
        group.get("events") { request, context in try await show(request, context: context) }
    }

    func show(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let namespace = request.parameter("namespace"), name = request.parameter("name")
        let granularity = try Granularity.parse(request.parameter("granularity").isEmpty ? "hour" : request.parameter("granularity"))
        let function = try AggregateFunction.parse(request.parameter("fn").isEmpty ? "avg" : request.parameter("fn"), field: "fn")
        var chart: String?
        var missing: String?
        if !namespace.isEmpty && !name.isEmpty {
            let now = Date()
            let from = request.parameter("from").isEmpty ? now.addingTimeInterval(-86400) : try TimeText.parse(request.parameter("from"), field: "from")
            let to = request.parameter("to").isEmpty ? now : try TimeText.parse(request.parameter("to"), field: "to")
            let query = try AggregationQuery(namespace: namespace, name: name, from: from, to: to, granularity: granularity, function: function).validated()
            let buckets = try await backend.store.aggregate(query)
            if buckets.isEmpty { missing = "Nothing in \(namespace) \(name) between \(TimeText.show(from)) and \(TimeText.show(to))." }
            let data = ChartData(id: "series-chart", title: "\(namespace) · \(name): \(function.rawValue) per \(granularity.rawValue)", unit: nil,
                                 keyHeading: "Bucket (UTC)", valueHeading: function.rawValue,
                                 entries: buckets.map { (TimeText.show($0.start), $0.value) })
            chart = renderer.fragment("chart", ChartDrawing.line(data, xTitle: "Bucket (UTC)"))
        }
        let filter = request.parameter("filter")
        let page = try await backend.store.seriesNames(filter: filter, namespace: nil, limit: Self.seriesShown)
        let model: [String: Any] = [
            "namespace": namespace, "name": name, "from": request.parameter("from"), "to": request.parameter("to"),
            "granularities": Granularity.allCases.map { ["value": $0.rawValue, "selected": $0 == granularity] as [String: Any] },
            "functions": AggregateFunction.allCases.map { ["value": $0.rawValue, "selected": $0 == function] as [String: Any] },
            "chart": templateValue(chart), "missing": templateValue(missing), "filter": filter,
            "series": page.series.map { series in
                var components = URLComponents()
                components.path = "/console/events"
                components.queryItems = [URLQueryItem(name: "namespace", value: series.namespace), URLQueryItem(name: "name", value: series.name)]
                return ["namespace": series.namespace, "name": series.name, "href": components.string ?? "/console/events"]
            },
            "truncated": page.truncated,
        ]
        return renderer.page("events", title: "Events", section: .events, signedIn: signedIn, model: model)
    }
}
