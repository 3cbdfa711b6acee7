import CollectorModel
import CollectorProto
import CollectorWire
import Foundation
import GRPCCore

extension QueryService {
    /// How many crawl outcomes GetInstance returns.
    static let historyShown = 20

    public func listInstances(request: Collector_V1_ListInstancesRequest, context: ServerContext) async throws -> Collector_V1_ListInstancesResponse {
        let query: InstanceQuery
        do {
            query = try InstanceQuery(request)
        } catch {
            throw RPCError(code: .invalidArgument, message: error.description)
        }
        let page = try await storeCall { try await store.instances(query) }
        var response = Collector_V1_ListInstancesResponse()
        response.instances = page.instances.map(Collector_V1_Instance.init)
        response.total = UInt64(page.total)
        let next = query.offset + page.instances.count
        response.nextPageToken = next < page.total ? String(next) : ""
        return response
    }

    public func getInstance(request: Collector_V1_GetInstanceRequest, context: ServerContext) async throws -> Collector_V1_Instance {
        guard let uuid = UUID(uuidString: request.uuid) else {
            throw RPCError(code: .invalidArgument, message: "uuid: '\(request.uuid)' is not a uuid")
        }
        guard let instance = try await storeCall({ try await store.instance(uuid: uuid) }) else {
            throw RPCError(code: .notFound, message: "no instance \(uuid.uuidString.lowercased())")
        }
        var wire = Collector_V1_Instance(instance)
        wire.crawlHistory = try await storeCall { try await store.crawlHistory(uuid: uuid, limit: Self.historyShown) }
            .map(Collector_V1_CrawlOutcome.init)
        if let text = instance.crawledJSON, let document = try? JSONValue.parseObject(Array(text.utf8)) {
            wire.fields = fields.present(document).map { field in
                var shown = Collector_V1_CrawledField()
                shown.name = field.name
                shown.label = field.label
                shown.valueJson = JSONValue.text(field.value)
                return shown
            }
        }
        return wire
    }

    public func instanceStatistics(request: Collector_V1_InstanceStatisticsRequest, context: ServerContext) async throws -> Collector_V1_InstanceStatisticsResponse {
        let statistics = InstanceStatistics(try await storeCall { try await store.statisticsInputs() }, settings: fields)
        var response = Collector_V1_InstanceStatisticsResponse()
        response.total = UInt64(statistics.total)
        response.active = UInt64(statistics.active)
        response.registrations = statistics.registrations.map { day in
            var wire = Collector_V1_DayCount()
            wire.day = day.day
            wire.count = UInt64(day.count)
            wire.cumulative = UInt64(day.cumulative)
            return wire
        }
        response.countries = statistics.countries.map { share in
            var wire = Collector_V1_CountryShare()
            wire.country = share.country
            wire.count = UInt64(share.count)
            wire.percent = share.percent
            return wire
        }
        response.charts = statistics.charts.map { chart in
            var wire = Collector_V1_Chart()
            wire.field = chart.field
            wire.label = chart.label
            wire.chartType = chart.type.rawValue
            wire.aggregation = chart.aggregation.rawValue
            wire.aggregateBy = chart.aggregateBy ?? ""
            wire.rows = chart.rows.map { row in
                var wireRow = Collector_V1_ChartRow()
                wireRow.key = row.key
                wireRow.value = row.value
                return wireRow
            }
            return wire
        }
        return response
    }
}

extension InstanceQuery {
    init(_ request: Collector_V1_ListInstancesRequest) throws(ValidationError) {
        self.init()
        switch request.enabled {
        case "": break
        case "enabled", "true": enabled = true
        case "disabled", "false": enabled = false
        default: throw ValidationError(field: "enabled", "'\(request.enabled)' is not enabled or disabled")
        }
        country = request.country.isEmpty ? nil : request.country
        organization = request.organization.isEmpty ? nil : request.organization
        text = request.text.isEmpty ? nil : request.text
        if !request.crawlState.isEmpty {
            guard let state = CrawlState(rawValue: request.crawlState) else {
                throw ValidationError(field: "crawl_state", "'\(request.crawlState)' is not one of \(CrawlState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            crawlState = state
        }
        for (index, filter) in request.filters.enumerated() {
            let field = try Field.parse(filter.field, field: "filters[\(index)].field")
            guard let comparison = FieldFilter.Comparison(rawValue: filter.comparison.isEmpty ? "eq" : filter.comparison) else {
                throw ValidationError(field: "filters[\(index)].comparison", "'\(filter.comparison)' is not one of eq, lt, gt")
            }
            filters.append(FieldFilter(field: field, comparison: comparison, value: filter.value))
        }
        if !request.sortBy.isEmpty { sortBy = try Field.parse(request.sortBy, field: "sort_by") }
        descending = request.descending
        limit = request.pageSize == 0 ? 100 : Int(min(request.pageSize, 1000))
        if !request.pageToken.isEmpty {
            guard let offset = Int(request.pageToken), offset >= 0 else {
                throw ValidationError(field: "page_token", "not a token this server issued")
            }
            self.offset = offset
        }
    }
}
