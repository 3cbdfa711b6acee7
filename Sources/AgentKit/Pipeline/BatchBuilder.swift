import CollectorModel
import CollectorProto
import CollectorWire
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// Gathers inputs' records into batches and spools them: when a batch is
/// full, and on every flush tick. Once `add` returns the record is in memory;
/// once `flush` returns it is on disk.
public actor BatchBuilder {
    private let agentID: String
    private let spool: Spool
    private let maxItems: Int
    private let logger: Logger
    private var pending = Collector_V1_Batch()
    private var pendingItems = 0
    private var pendingWaiter: CheckedContinuation<Void, Never>?

    public init(agentID: String, spool: Spool, maxItems: Int, logger: Logger) {
        self.agentID = agentID
        self.spool = spool
        self.maxItems = maxItems
        self.logger = logger
    }

    public func add(_ sample: HostSample) async throws {
        pending.hostSamples.append(Collector_V1_HostSample(sample))
        try await added(1)
    }

    public func add(_ points: [SeriesPoint]) async throws {
        pending.points.append(contentsOf: points.map(Collector_V1_Point.init))
        try await added(points.count)
    }

    public func add(_ event: Event) async throws {
        pending.events.append(Collector_V1_Event(event))
        try await added(1)
    }

    public func add(_ sample: CrawlSample) async throws {
        pending.crawlSamples.append(Collector_V1_CrawlSample(sample))
        try await added(1)
    }

    public func add(_ results: [Reachability]) async throws {
        pending.reachability.append(contentsOf: results.map(Collector_V1_Reachability.init))
        try await added(results.count)
    }

    private func added(_ count: Int) async throws {
        pendingItems += count
        wakePendingWaiter()
        if pendingItems >= maxItems { try await flush() }
    }

    /// Returns once a record is pending (at once if one is) or the task is
    /// cancelled. The flush tick waits here, so an idle agent sleeps instead
    /// of waking every interval to find nothing to flush.
    public func waitUntilPending() async {
        guard pendingItems == 0, !Task.isCancelled else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                wakePendingWaiter()
                pendingWaiter = continuation
            }
        } onCancel: {
            Task { await self.wakePendingWaiter() }
        }
    }

    private func wakePendingWaiter() {
        pendingWaiter?.resume()
        pendingWaiter = nil
    }

    /// Writes what is pending to the spool as one batch. The sequence is not
    /// inside the spooled bytes: the uplink stamps it (and the drop mark) on
    /// the way out, so the spool alone decides numbering.
    @discardableResult
    public func flush() async throws -> UInt64? {
        guard pendingItems > 0 else { return nil }
        // Take the records out before suspending: adds that arrive while the
        // spool writes go into the next batch.
        var batch = pending
        let items = pendingItems
        pending = Collector_V1_Batch()
        pendingItems = 0
        batch.agentID = agentID
        batch.createdUnixNano = WireTime.nanos(Date())
        do {
            return try await spool.append(try batch.serializedBytes())
        } catch {
            // Keep the records for the next flush unless they pile up; then
            // memory matters more, and the loss is logged.
            if items + pendingItems <= maxItems * 10 {
                batch.hostSamples.append(contentsOf: pending.hostSamples)
                batch.points.append(contentsOf: pending.points)
                batch.events.append(contentsOf: pending.events)
                batch.crawlSamples.append(contentsOf: pending.crawlSamples)
                batch.reachability.append(contentsOf: pending.reachability)
                pending = batch
                pendingItems += items
            } else {
                logger.error("could not spool; dropping pending records", metadata: ["records": "\(items)", "error": "\(error)"])
            }
            throw error
        }
    }
}
