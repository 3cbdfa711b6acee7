import CollectorModel
import CollectorProto
import CollectorTLS
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import Logging
import Synchronization

public struct UplinkSettings: Sendable {
    /// Collectors sharing one store: the agent pushes to one at a time and
    /// moves to the next when the link is lost. Never empty.
    public var collectors: [HostPort]
    public var tls: ClientTLSSettings
    public var token: String
    public var hostname: String
    public var agentVersion: String
    public var maxInFlight: Int
    public var backoffInitial: Duration
    public var backoffMax: Duration
    /// How often a connected agent asks again which pools it sweeps.
    public var poolRefresh: Duration = .seconds(30)

    public init(collectors: [HostPort], tls: ClientTLSSettings, token: String, hostname: String, agentVersion: String,
                maxInFlight: Int, backoffInitial: Duration, backoffMax: Duration) {
        precondition(!collectors.isEmpty, "an uplink needs a collector")
        self.collectors = collectors
        self.tls = tls
        self.token = token
        self.hostname = hostname
        self.agentVersion = agentVersion
        self.maxInFlight = maxInFlight
        self.backoffInitial = backoffInitial
        self.backoffMax = backoffMax
    }
}

/// What the uplink has done, for logs, metrics and tests.
public struct UplinkStatus: Sendable, Equatable {
    public var connected = false
    public var registrations = 0
    public var reconnects = 0
    public var acknowledged = 0
    public var duplicates = 0
    public var quarantined = 0
    /// Records the collector refused inside batches it otherwise stored.
    public var refusedRecords = 0
    public var highWaterMark: UInt64 = 0
    /// The collector the link is to, or was last tried.
    public var collector: String?
    public var instanceUUID: UUID?
    public var lastError: String?
}

/// The agent's link to the collector: register, then replay the spool in
/// order on one push stream, deleting each batch only when it is
/// acknowledged. On any failure it moves to the next collector (when there
/// are several), waits (exponential backoff, jitter) and starts over from
/// the high-water mark that collector reads from the shared store: what the
/// last one stored counts as acknowledged, the rest is sent again.
public final class Uplink: Sendable {
    let settings: UplinkSettings
    let state: AgentState
    let instance: InstanceInfo?
    let spool: Spool
    /// What the collector checks records by, learned at every Register.
    public let rules: CollectorRules
    let logger: Logger
    private let statusBox = Mutex(UplinkStatus())

    public init(settings: UplinkSettings, state: AgentState, instance: InstanceInfo?, spool: Spool, logger: Logger) {
        self.settings = settings
        self.state = state
        self.instance = instance
        self.spool = spool
        self.logger = logger
        rules = CollectorRules(directory: state.directory)
    }

    public var status: UplinkStatus { statusBox.withLock { $0 } }

    private var metadata: Metadata { ["authorization": "Bearer \(settings.token)"] }

    /// Runs until cancelled.
    public func run() async throws {
        // A bad TLS file is a start-up error, not a retry loop.
        _ = try makeClientTransport(target: settings.collectors[0], tls: settings.tls)
        var backoff = Backoff(initial: settings.backoffInitial, maximum: settings.backoffMax)
        var targets = await CollectorTargets(settings.collectors)
        while !Task.isCancelled {
            let target = targets.current
            statusBox.withLock { $0.collector = target.description }
            do {
                // A transport per connection: the TLS files are read again,
                // so a renewed client certificate or CA is used from the
                // next connection on, without a restart.
                var tls = settings.tls
                if tls.serverName == nil { tls.serverName = target.serverName }
                let transport = try makeClientTransport(target: target.address, tls: tls)
                try await withGRPCClient(transport: transport) { client in
                    let registered = try await register(client)
                    // Pool assignments change while the link is up: the
                    // collector says so on a watch stream, beside the push.
                    let follower = Task { await followPools(client) }
                    defer { follower.cancel() }
                    try await push(client, after: registered.highWaterMark,
                                   window: min(settings.maxInFlight, Int(max(1, registered.maxInFlight))))
                }
            } catch where Task.isCancelled {
                break
            } catch {
                let wasConnected = statusBox.withLock { status in
                    let was = status.connected
                    status.connected = false
                    status.reconnects += 1
                    status.lastError = Self.describe(error)
                    return was
                }
                if wasConnected { backoff.reset() }
                let wait = backoff.next()
                await targets.advance()
                var metadata: Logger.Metadata = ["error": "\(Self.describe(error))", "retry_in": "\(wait)"]
                if settings.collectors.count > 1 || targets.targets.count > 1 {
                    metadata["collector"] = "\(target)"
                    metadata["next"] = "\(targets.current)"
                }
                logger.warning("collector link down; retrying", metadata: metadata)
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    break
                }
            }
        }
    }

    /// Registers the agent (every connect: it is idempotent), persists the
    /// instance uuid and sends a changed instance description.
    func register(_ client: GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Collector_V1_RegisterResponse {
        let ingest = Collector_V1_Ingest.Client(wrapping: client)
        let remembered = state.registeredInstance()
        var request = Collector_V1_RegisterRequest()
        request.agentID = state.agentID
        request.hostname = settings.hostname
        request.agentVersion = settings.agentVersion
        if let instance {
            request.instance = Collector_V1_InstanceInfo(instance)
            request.instanceUuid = remembered?.uuid.uuidString.lowercased() ?? ""
        }
        let response = try await ingest.register(request, metadata: metadata)
        try rules.learn(from: response, receivedAt: Date())
        if let instance, let uuid = UUID(uuidString: response.instanceUuid) {
            if remembered?.uuid == uuid, remembered?.info != instance {
                var update = Collector_V1_UpdateInstanceRequest()
                update.agentID = state.agentID
                update.instanceUuid = response.instanceUuid
                update.instance = Collector_V1_InstanceInfo(instance)
                _ = try await ingest.updateInstance(update, metadata: metadata)
                logger.info("sent the changed instance description", metadata: ["instance": "\(uuid)"])
            }
            try state.saveRegisteredInstance(.init(uuid: uuid, info: instance))
        }
        try await refreshPools(client)
        // Batches at or below the mark are stored: whatever their acks did,
        // they can go, and new sequences must not reuse their numbers.
        try await spool.setMinimumSequence(response.highWaterMark)
        try await spool.acknowledge(through: response.highWaterMark)
        statusBox.withLock {
            $0.connected = true
            $0.registrations += 1
            $0.highWaterMark = response.highWaterMark
            $0.instanceUUID = UUID(uuidString: response.instanceUuid)
            $0.lastError = nil
        }
        logger.info("registered with the collector", metadata: [
            "agent": "\(state.agentID)", "high_water_mark": "\(response.highWaterMark)", "instance": "\(response.instanceUuid)",
        ])
        return response
    }

    /// Asks which pools this agent sweeps and remembers the answer, so the
    /// sweeps go on from the last known list while the collector is away.
    func refreshPools(_ client: GRPCClient<HTTP2ClientTransport.Posix>) async throws {
        let response = try await Collector_V1_Ingest.Client(wrapping: client).assignedPools(poolsRequest, metadata: metadata)
        try remember(response)
    }

    /// Follows the collector's `WatchAssignedPools` stream, which sends the
    /// pools again as soon as an operator changes them. Should the stream
    /// break, or the collector predate it, the agent asks every
    /// `poolRefresh` instead, and tries the stream again.
    func followPools(_ client: GRPCClient<HTTP2ClientTransport.Posix>) async {
        var watchable = true
        while !Task.isCancelled {
            if watchable {
                do {
                    try await Collector_V1_Ingest.Client(wrapping: client).watchAssignedPools(poolsRequest, metadata: metadata) { response in
                        for try await message in response.messages { try self.remember(message) }
                    }
                } catch let error as RPCError where error.code == .unimplemented {
                    watchable = false
                } catch {
                    if Task.isCancelled { return }
                    logger.debug("pool watch ended; asking again", metadata: ["error": "\(Self.describe(error))"])
                }
            }
            try? await Task.sleep(for: settings.poolRefresh)
            if !Task.isCancelled, status.connected { try? await refreshPools(client) }
        }
    }

    private var poolsRequest: Collector_V1_AssignedPoolsRequest {
        var request = Collector_V1_AssignedPoolsRequest()
        request.agentID = state.agentID
        return request
    }

    private func remember(_ response: Collector_V1_AssignedPoolsResponse) throws {
        let pools = response.pools.map(Pool.init(wire:))
        if try state.pools.replace(with: pools) {
            logger.info("pool assignments changed", metadata: ["pools": "\(pools.map(\.name))"])
        }
    }

    /// One push stream: send spooled batches in order, at most `window`
    /// unacknowledged; delete each on its ack.
    func push(_ client: GRPCClient<HTTP2ClientTransport.Posix>, after highWaterMark: UInt64, window: Int) async throws {
        let inFlight = AckWindow(capacity: window)
        let spool = self.spool
        let request = StreamingClientRequest<SpooledBatch>(metadata: metadata) { writer in
            var last = highWaterMark
            while true {
                try await inFlight.waitForRoom()
                let batches = try await spool.pending(after: last, limit: await inFlight.room)
                if batches.isEmpty {
                    await spool.waitForData(after: last)
                    try Task.checkCancellation()
                    continue
                }
                let stats = await spool.stats
                for batch in batches {
                    await inFlight.sent(batch.sequence)
                    try await writer.write(SpooledBatch(sequence: batch.sequence, droppedThrough: stats.droppedThrough,
                                                        spoolBatches: UInt64(stats.batches), spoolBytes: UInt64(stats.bytes),
                                                        contents: batch.payload))
                    last = batch.sequence
                }
            }
        }
        do {
            try await client.bidirectionalStreaming(
                request: request, descriptor: Collector_V1_Ingest.Method.Push.descriptor,
                serializer: SpooledBatchSerializer(), deserializer: ProtobufDeserializer<Collector_V1_Ack>(),
                options: .defaults
            ) { response in
                for try await ack in response.messages {
                    if ack.refused.isEmpty {
                        try await spool.acknowledge(ack.sequence)
                    } else {
                        let reasons = ack.refused.map { "\($0.field): \($0.reason)" }
                        self.logger.error("the collector refused records of a batch it stored; the batch is kept in the spool's quarantine", metadata: [
                            "sequence": "\(ack.sequence)", "refused": "\(reasons.count)", "first": "\(reasons[0])",
                        ])
                        try await spool.acknowledge(ack.sequence, refused: reasons)
                    }
                    await inFlight.acknowledged(ack.sequence)
                    self.noteAcknowledged(ack)
                }
            }
        } catch let error as RPCError where error.code == .invalidArgument {
            // The collector refused a batch as malformed: resending it would
            // block the spool forever. It is set aside (kept on disk, counted
            // as dropped) so the batches behind it can flow.
            if let sequence = await inFlight.oldest {
                try await spool.quarantine(sequence)
                statusBox.withLock { $0.quarantined += 1 }
                logger.error("collector refused a batch; set it aside", metadata: ["sequence": "\(sequence)", "error": "\(error.message)"])
            }
            throw error
        }
    }

    private func noteAcknowledged(_ ack: Collector_V1_Ack) {
        statusBox.withLock {
            $0.acknowledged += 1
            $0.refusedRecords += ack.refused.count
            if ack.duplicate { $0.duplicates += 1 }
            $0.highWaterMark = max($0.highWaterMark, ack.sequence)
        }
    }

    /// One line for the log; a certificate the agent does not trust says
    /// what to configure, since gRPC alone reports a closed connection.
    static func describe(_ error: any Error) -> String {
        if let reason = TLSTrustFailure.reason(in: error) {
            return "the TLS handshake failed: \(reason). Give the CA that signed the collector's certificate: "
                + "collector.ca in the config, --ca FILE or COLLECTOR_AGENT_COLLECTOR__CA=FILE (a development collector's is DATA_DIR/ca.pem)"
        }
        if let error = error as? RPCError { return "\(error.code): \(error.message)" }
        return "\(error)"
    }
}
