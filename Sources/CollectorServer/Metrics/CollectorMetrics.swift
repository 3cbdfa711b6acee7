import CollectorStore
import CoreMetrics
import GRPCCore
import SelfMetrics

/// What the collector counts about itself, served at `GET /metrics` on
/// the HTTP port in the Prometheus text format.
public final class CollectorMetrics: MetricsHolder {
    public let base = SelfMetrics()
    let batchesReceived: CoreMetrics.Counter
    let batchesStored: CoreMetrics.Counter
    let batchesDuplicate: CoreMetrics.Counter
    let batchesRefused: CoreMetrics.Counter
    let itemsStored: CoreMetrics.Counter
    let itemsRefused: CoreMetrics.Counter
    let acksSent: CoreMetrics.Counter
    let commitDuration: CoreMetrics.Timer
    /// From a batch's arrival on its stream to its ack being written: what
    /// an agent waits, less the network.
    let batchAckLatency: CoreMetrics.Timer
    let compactionDuration: CoreMetrics.Timer
    /// Of a round, the part that holds the writer (commits wait for it).
    let compactionStoring: CoreMetrics.Timer
    let compactedPoints: CoreMetrics.Counter
    let chunksMerged: CoreMetrics.Counter
    /// 1 while a compaction round holds its transaction (the fault tests
    /// count kills that land then).
    let compactionActive: CoreMetrics.Gauge

    public init() {
        batchesReceived = base.counter("collector_batches_received_total")
        batchesStored = base.counter("collector_batches_stored_total")
        batchesDuplicate = base.counter("collector_batches_duplicate_total")
        batchesRefused = base.counter("collector_batches_refused_total")
        itemsStored = base.counter("collector_items_stored_total")
        itemsRefused = base.counter("collector_items_refused_total")
        acksSent = base.counter("collector_acks_sent_total")
        commitDuration = base.timer("collector_store_commit_seconds")
        batchAckLatency = base.timer("collector_batch_ack_seconds")
        compactionDuration = base.timer("collector_compaction_round_seconds")
        compactionStoring = base.timer("collector_compaction_store_seconds")
        compactedPoints = base.counter("collector_compacted_points_total")
        chunksMerged = base.counter("collector_chunks_merged_total")
        compactionActive = base.gauge("collector_compaction_active")
    }

    func crawled(_ result: String) {
        base.counter("collector_crawls_total", [("result", result)]).increment()
    }

    func rpc(_ method: String, code: String, duration: Duration) {
        base.timer("collector_rpc_seconds", [("method", method), ("code", code)]).recordNanoseconds(duration.nanoseconds)
    }

    /// The agents connected and the points acknowledged and not yet
    /// compacted are kept elsewhere: read at scrape time.
    func read(connections: ConnectedAgents, store: any Store) {
        base.reading("collector_connected_agents") { await connections.connectedCount }
        base.reading("collector_ingest_log_points") { (try? await store.ingestBacklog()) ?? 0 }
        // Collectors sharing a PostgreSQL: the background work this one does.
        base.reading("collector_store_leases_held") {
            ((try? await store.heldLeases()) ?? [:]).values.filter { $0 == store.leaseHolder }.count
        }
        if let pool = store as? any ConnectionPoolReporting {
            base.reading("collector_store_connections_in_use") { pool.connectionsInUse }
            base.reading("collector_store_connections_waiting") { pool.requestsWaitingForConnection }
            base.reading("collector_store_connections_max") { pool.maximumConnections }
        }
    }
}

/// Times every RPC until its handler answers (for streams: until the
/// response starts), by method and status code.
public struct MetricsInterceptor: ServerInterceptor {
    let metrics: CollectorMetrics

    public init(metrics: CollectorMetrics) {
        self.metrics = metrics
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let started = ContinuousClock.now
        let method = context.descriptor.fullyQualifiedMethod
        do {
            let response = try await next(request, context)
            metrics.rpc(method, code: "ok", duration: ContinuousClock.now - started)
            return response
        } catch let error as RPCError {
            metrics.rpc(method, code: "\(error.code)", duration: ContinuousClock.now - started)
            throw error
        } catch {
            metrics.rpc(method, code: "unknown", duration: ContinuousClock.now - started)
            throw error
        }
    }
}
