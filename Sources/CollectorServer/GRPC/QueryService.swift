import CollectorModel
import CollectorProto
import CollectorStore
import CollectorWire
import Foundation
import GRPCCore

/// Read access: agents, instances, statistics, series.
public struct QueryService: Collector_V1_Query.SimpleServiceProtocol {
    let store: any Store
    let connections: ConnectedAgents
    let live: LiveConfig
    let pools: PoolReporting

    public init(store: any Store, connections: ConnectedAgents, live: LiveConfig) {
        self.store = store
        self.connections = connections
        self.live = live
        pools = PoolReporting(store: store, zone: live.value.pools.zone)
    }

    /// How crawled fields are shown, as last (re)loaded.
    var fields: CrawledFieldSettings { live.value.crawl.fields }

    public func listAgents(request: Collector_V1_ListAgentsRequest, context: ServerContext) async throws -> Collector_V1_ListAgentsResponse {
        let records = try await storeCall { try await store.agents(site: request.site.isEmpty ? nil : request.site) }
        let presence = await connections.presence
        var response = Collector_V1_ListAgentsResponse()
        response.agents = records.map { Collector_V1_Agent($0, connected: presence.connected.contains($0.id), spool: presence.spools[$0.id]) }
        return response
    }
}

extension QueryService {
    public func aggregate(request: Collector_V1_AggregateRequest, context: ServerContext) async throws -> Collector_V1_AggregateResponse {
        let query: AggregationQuery
        do {
            let zoneName = request.timeZone.isEmpty ? "UTC" : request.timeZone
            guard let zone = TimeZone(identifier: zoneName) else {
                throw ValidationError(field: "time_zone", "'\(request.timeZone)' is not an IANA time zone")
            }
            query = try AggregationQuery(
                namespace: request.namespace, name: request.name,
                from: WireTime.date(request.fromUnixNano),
                to: request.toUnixNano == 0 ? Date() : WireTime.date(request.toUnixNano),
                granularity: request.granularity.isEmpty ? .none : try Granularity.parse(request.granularity),
                function: request.function.isEmpty ? .avg : try AggregateFunction.parse(request.function),
                timeZone: zone).validated()
        } catch {
            throw RPCError(code: .invalidArgument, message: "\(error)")
        }
        let buckets = try await storeCall { try await store.aggregate(query) }
        var response = Collector_V1_AggregateResponse()
        response.buckets = buckets.map { bucket in
            var wire = Collector_V1_AggregateBucket()
            wire.startUnixNano = WireTime.nanos(bucket.start)
            wire.value = bucket.value
            wire.count = UInt64(max(0, bucket.count))
            wire.firstUnixNano = WireTime.nanos(bucket.first)
            return wire
        }
        return response
    }
}

/// Runs a store call, turning its failures into gRPC statuses.
func storeCall<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as RPCError {
        throw error
    } catch {
        throw RPCError(storeFailure: error)
    }
}
