import CoreMetrics
import SelfMetrics

/// What the agent counts about itself, served at `GET /metrics` on its
/// own loopback port (`metrics.listen`) in the Prometheus text format.
public final class AgentMetrics: MetricsHolder {
    public let base = SelfMetrics()

    public init() {}

    /// The spool and the uplink keep their own counts; they are read at
    /// scrape time rather than counted twice.
    func read(spool: Spool, uplink: Uplink) {
        base.reading("agent_spool_bytes") { await spool.stats.bytes }
        base.reading("agent_spool_batches") { await spool.stats.batches }
        base.reading("agent_batches_spooled_total") { Int(clamping: await spool.stats.lastSequence) }
        base.reading("agent_spool_dropped_batches_total") { Int(clamping: await spool.stats.droppedBatches) }
        base.reading("agent_acks_received_total") { uplink.status.acknowledged }
        base.reading("agent_acks_duplicate_total") { uplink.status.duplicates }
        base.reading("agent_records_refused_total") { uplink.status.refusedRecords }
        base.reading("agent_reconnects_total") { uplink.status.reconnects }
        base.reading("agent_connected") { uplink.status.connected ? 1 : 0 }
    }

    func swept(pool: String, duration: Duration) {
        base.timer("agent_sweep_seconds", [("pool", pool)]).recordNanoseconds(duration.nanoseconds)
    }

    func crawled(_ result: String) {
        base.counter("agent_crawls_total", [("result", result)]).increment()
    }
}
