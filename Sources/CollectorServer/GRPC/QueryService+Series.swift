import CollectorModel
import CollectorProto
import GRPCCore

extension QueryService {
    /// The most series one answer lists.
    static let maxSeriesListed = 10_000

    public func listSeries(request: Collector_V1_ListSeriesRequest, context: ServerContext) async throws -> Collector_V1_ListSeriesResponse {
        let limit = request.limit == 0 ? Self.maxSeriesListed : min(Int(request.limit), Self.maxSeriesListed)
        let page = try await storeCall {
            try await store.seriesNames(filter: request.filter, namespace: request.namespace.isEmpty ? nil : request.namespace, limit: limit)
        }
        var response = Collector_V1_ListSeriesResponse()
        response.series = page.series.map { name in
            var wire = Collector_V1_SeriesName()
            wire.namespace = name.namespace
            wire.name = name.name
            return wire
        }
        response.truncated = page.truncated
        return response
    }
}
