import CollectorModel
import CollectorProto
import CollectorStore
import CollectorWire
import Foundation
import GRPCCore
import Logging
import ServiceSupport

/// What agents call: register, describe their instance, push batches.
public struct IngestService: Collector_V1_Ingest.ServiceProtocol {
    let store: any Store
    let committer: GroupCommitter
    let authenticator: Authenticator
    let connections: ConnectedAgents
    let limits: CollectorConfig.LimitsSection
    let logger: Logger
    let shutdown: ShutdownSignal
    let metrics: CollectorMetrics
    let poolWatchers: PoolAssignmentWatchers

    init(store: any Store, committer: GroupCommitter, authenticator: Authenticator, connections: ConnectedAgents,
         limits: CollectorConfig.LimitsSection, logger: Logger, shutdown: ShutdownSignal, metrics: CollectorMetrics,
         poolWatchers: PoolAssignmentWatchers) {
        self.store = store
        self.committer = committer
        self.authenticator = authenticator
        self.connections = connections
        self.limits = limits
        self.logger = logger
        self.shutdown = shutdown
        self.metrics = metrics
        self.poolWatchers = poolWatchers
    }

    public func register(
        request: ServerRequest<Collector_V1_RegisterRequest>, context: ServerContext
    ) async throws -> ServerResponse<Collector_V1_RegisterResponse> {
        let site = try await site(of: request.metadata)
        let message = request.message
        let registration: AgentRegistration
        do {
            try AgentRegistration.validate(agentID: message.agentID)
            let info = message.hasInstance ? try InstanceInfo(message.instance).validated() : nil
            var instanceUUID: UUID?
            if !message.instanceUuid.isEmpty {
                guard let uuid = UUID(uuidString: message.instanceUuid) else {
                    throw ValidationError(field: "instance_uuid", "'\(message.instanceUuid)' is not a uuid")
                }
                instanceUUID = uuid
            }
            registration = AgentRegistration(
                agentID: message.agentID, site: site, hostname: String(message.hostname.prefix(255)),
                agentVersion: String(message.agentVersion.prefix(64)), instance: info, instanceUUID: instanceUUID)
        } catch let error as ValidationError {
            throw RPCError(error)
        }
        let record: AgentRecord
        do {
            record = try await store.register(registration, at: Date())
        } catch {
            throw RPCError(storeFailure: error)
        }
        logger.info("agent registered", metadata: ["agent": "\(record.id)", "site": "\(site)", "host": "\(record.hostname)"])
        var response = Collector_V1_RegisterResponse()
        response.instanceUuid = record.instanceUUID?.uuidString.lowercased() ?? ""
        response.highWaterMark = record.highWaterMark
        response.maxInFlight = UInt32(limits.maxInFlight)
        response.maxBatchBytes = UInt64(limits.maxMessageBytes)
        response.rules = Collector_V1_IngestRules(limits.wireLimits)
        response.collectorTimeUnixNano = WireTime.nanos(Date())
        return ServerResponse(message: response)
    }

    public func updateInstance(
        request: ServerRequest<Collector_V1_UpdateInstanceRequest>, context: ServerContext
    ) async throws -> ServerResponse<Collector_V1_Instance> {
        let site = try await site(of: request.metadata)
        let message = request.message
        let info: InstanceInfo
        let uuid: UUID
        do {
            guard let parsed = UUID(uuidString: message.instanceUuid) else {
                throw ValidationError(field: "instance_uuid", "'\(message.instanceUuid)' is not a uuid")
            }
            uuid = parsed
            info = try InstanceInfo(message.instance).validated()
        } catch let error as ValidationError {
            throw RPCError(error)
        }
        do {
            guard let existing = try await store.instance(uuid: uuid) else {
                throw RPCError(code: .notFound, message: "unknown instance \(uuid)")
            }
            guard existing.site == site else {
                throw RPCError(code: .permissionDenied, message: "instance \(uuid) belongs to another site")
            }
            guard let updated = try await store.updateInstance(uuid: uuid, info: info, at: Date()) else {
                throw RPCError(code: .notFound, message: "unknown instance \(uuid)")
            }
            return ServerResponse(message: Collector_V1_Instance(updated))
        } catch {
            throw RPCError(storeFailure: error)
        }
    }

    public func push(
        request: StreamingServerRequest<Collector_V1_Batch>, context: ServerContext
    ) async throws -> StreamingServerResponse<Collector_V1_Ack> {
        let site = try await site(of: request.metadata)
        let session = PushSession(store: store, committer: committer, connections: connections, site: site, limits: limits,
                                  logger: logger, peer: context.remotePeer, shutdown: shutdown, metrics: metrics)
        return StreamingServerResponse { acks in
            try await session.run(batches: request.messages, acks: acks)
            return [:]
        }
    }

    public func logEvents(
        request: ServerRequest<Collector_V1_LogEventsRequest>, context: ServerContext
    ) async throws -> ServerResponse<Collector_V1_LogEventsResponse> {
        _ = try await site(of: request.metadata)
        let events: [Event]
        do {
            events = try Event.validated(request.message.events, limits: limits.wireLimits)
        } catch {
            throw RPCError(error)
        }
        // Ids make a retry idempotent: every event keeps its id.
        try await storeCall { _ = try await committer.commit([.events(events, keepingIDs: true)]) }
        var response = Collector_V1_LogEventsResponse()
        response.ids = events.map(\.id)
        return ServerResponse(message: response)
    }

    /// The site an ingest token is bound to; a token without one cannot ingest.
    /// Only the agent itself, through a token of its site, learns its pools.
    public func assignedPools(
        request: ServerRequest<Collector_V1_AssignedPoolsRequest>, context: ServerContext
    ) async throws -> ServerResponse<Collector_V1_AssignedPoolsResponse> {
        let site = try await site(of: request.metadata)
        try await requireAgent(request.message.agentID, of: site)
        return ServerResponse(message: try await assignedPools(of: request.message.agentID))
    }

    func requireAgent(_ agentID: String, of site: String) async throws {
        guard let agent = try await storeCall({ try await store.agent(id: agentID) }), agent.site == site else {
            throw RPCError(code: .failedPrecondition, message: "unknown agent '\(agentID)': register first")
        }
    }

    func assignedPools(of agentID: String) async throws -> Collector_V1_AssignedPoolsResponse {
        var response = Collector_V1_AssignedPoolsResponse()
        response.pools = try await storeCall { try await store.pools(agentID: agentID) }.map(Collector_V1_Pool.init)
        return response
    }

    /// The site of the ingest token `AuthInterceptor` authenticated; a
    /// token without one cannot ingest.
    func site(of metadata: Metadata) async throws -> String {
        guard let principal = Principal.current else {
            throw RPCError(code: .unauthenticated, message: "not authenticated")
        }
        guard let site = principal.site else {
            throw RPCError(code: .permissionDenied, message: "ingest token '\(principal.tokenName)' is not bound to a site")
        }
        return site
    }
}
