import CoreMetrics
import SelfMetrics

/// What the agent counts about itself, served at `GET /metrics` on its
/// own loopback port (`metrics.listen`) in the Prometheus text format.
public final class AgentMetrics: Sendable {
    let base = SelfMetrics()
    let spoolBytes: CoreMetrics.Gauge
    let spoolBatches: CoreMetrics.Gauge
    let spooledBatches: CoreMetrics.Gauge
    let droppedBatches: CoreMetrics.Gauge
    let acknowledged: CoreMetrics.Gauge
    let duplicates: CoreMetrics.Gauge
    let refusedRecords: CoreMetrics.Gauge
    let reconnects: CoreMetrics.Gauge
    let connected: CoreMetrics.Gauge

    public init() {
        spoolBytes = base.gauge("agent_spool_bytes")
        spoolBatches = base.gauge("agent_spool_batches")
        spooledBatches = base.gauge("agent_batches_spooled_total")
        droppedBatches = base.gauge("agent_spool_dropped_batches_total")
        acknowledged = base.gauge("agent_acks_received_total")
        duplicates = base.gauge("agent_acks_duplicate_total")
        refusedRecords = base.gauge("agent_records_refused_total")
        reconnects = base.gauge("agent_reconnects_total")
        connected = base.gauge("agent_connected")
    }

    func swept(pool: String, duration: Duration) {
        base.timer("agent_sweep_seconds", [("pool", pool)]).recordNanoseconds(duration.nanoseconds)
    }

    func crawled(_ result: String) {
        base.counter("agent_crawls_total", [("result", result)]).increment()
    }

    /// The exposition text. The spool and uplink keep their own counts;
    /// they are read at scrape time rather than counted twice.
    func text(spool: SpoolStats, uplink: UplinkStatus) -> String {
        spoolBytes.record(spool.bytes)
        spoolBatches.record(spool.batches)
        spooledBatches.record(Int64(clamping: spool.lastSequence))
        droppedBatches.record(Int64(clamping: spool.droppedBatches))
        acknowledged.record(uplink.acknowledged)
        duplicates.record(uplink.duplicates)
        refusedRecords.record(uplink.refusedRecords)
        reconnects.record(uplink.reconnects)
        connected.record(uplink.connected ? 1 : 0)
        return base.text()
    }
}
