import CollectorModel
import CollectorProto
import CollectorStore
import CollectorWire
import Foundation
import GRPCCore

/// Read access: agents, instances.
public struct QueryService: Collector_V1_Query.SimpleServiceProtocol {
    let store: any Store
    let connections: ConnectedAgents

    public init(store: any Store, connections: ConnectedAgents) {
        self.store = store
        self.connections = connections
    }

    public func listAgents(request: Collector_V1_ListAgentsRequest, context: ServerContext) async throws -> Collector_V1_ListAgentsResponse {
        let records = try await storeCall { try await store.agents(site: request.site.isEmpty ? nil : request.site) }
        let connected = await connections.connectedIDs
        var response = Collector_V1_ListAgentsResponse()
        response.agents = records.map { Collector_V1_Agent($0, connected: connected.contains($0.id)) }
        return response
    }

    public func listInstances(request: Collector_V1_ListInstancesRequest, context: ServerContext) async throws -> Collector_V1_ListInstancesResponse {
        var query = InstanceQuery()
        switch request.enabled {
        case "": break
        case "enabled", "true": query.enabled = true
        case "disabled", "false": query.enabled = false
        default: throw RPCError(code: .invalidArgument, message: "enabled: '\(request.enabled)' is not enabled or disabled")
        }
        query.country = request.country.isEmpty ? nil : request.country
        query.organization = request.organization.isEmpty ? nil : request.organization
        query.text = request.text.isEmpty ? nil : request.text
        if !request.sortBy.isEmpty {
            guard let key = InstanceQuery.SortKey(rawValue: request.sortBy) else {
                throw RPCError(code: .invalidArgument, message: "sort_by: '\(request.sortBy)' is not one of \(InstanceQuery.SortKey.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.sortBy = key
        }
        query.descending = request.descending
        query.limit = request.pageSize == 0 ? 100 : Int(min(request.pageSize, 1000))
        if !request.pageToken.isEmpty {
            guard let offset = Int(request.pageToken), offset >= 0 else {
                throw RPCError(code: .invalidArgument, message: "page_token: not a token this server issued")
            }
            query.offset = offset
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
        return Collector_V1_Instance(instance)
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
