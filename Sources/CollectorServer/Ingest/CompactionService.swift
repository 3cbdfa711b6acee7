import CollectorModel
import CollectorStore
import Foundation
import Logging
import ServiceLifecycle
import ServiceSupport

/// Compacts the ingest log in the background: woken by every commit, it
/// runs rounds while there is a backlog and sleeps when there is none.
/// Each round is one transaction, small enough that commits between rounds
/// never wait long behind it.
struct CompactionService: Service {
    let store: any Store
    let doorbell: Doorbell
    let metrics: CollectorMetrics
    let logger: Logger
    /// Points per round. A round holds its points in memory, sorted, about
    /// 60 bytes each at its peak (118 MB at 2M points, measured with
    /// heaptrack during bench/events); half a million keep that near 30 MB.
    var budget = 500_000
    /// How long a small round lets the log gather before the next.
    var gather: Duration = .milliseconds(500)
    /// For the fault tests only (`FAULT_TEST_COMPACTION_HOLD_MS`): how
    /// long each round keeps its transaction open after its work, so that a
    /// kill -9 is likely to land mid-compaction.
    var hold: Duration = .zero

    func run() async throws {
        try await untilGracefulShutdown {
            while true {
                let round: CompactionRound
                do {
                    let started = ContinuousClock.now
                    metrics.compactionActive.record(1)
                    defer { metrics.compactionActive.record(0) }
                    round = try await store.compact(budget: budget, holding: hold)
                    // After each round: commits never pay for a checkpoint.
                    try await store.checkpoint()
                    if round.logRows > 0 {
                        metrics.compactionDuration.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
                        metrics.compactionStoring.recordNanoseconds(round.storing.nanoseconds)
                        metrics.compactedPoints.increment(by: Int64(round.points))
                        metrics.chunksMerged.increment(by: Int64(round.chunksMerged))
                    }
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    // A full disk, say: the log keeps what waits; try again soon.
                    logger.warning("compaction round failed; retrying", metadata: ["error": "\(error)"])
                    try await Task.sleep(for: .seconds(1))
                    continue
                }
                // Another collector holds the series lease: ask again in a
                // while, not at every commit's doorbell.
                if round.deferred {
                    try await Task.sleep(for: .seconds(2))
                    continue
                }
                // A small round (the log holds little): let more gather, so
                // each round's fixed costs (every touched hour and day) are
                // shared by more points; reads see the log meanwhile.
                if round.logRows > 0 && round.points < budget / 4 {
                    try await Task.sleep(for: gather)
                }
                if round.logRows == 0 {
                    // Idle: what the compacted log freed goes back, a slice at a time.
                    if (try? await store.reclaimSpace(pages: 2048)) ?? 0 > 0 { continue }
                    await doorbell.wait(timeout: .seconds(1))
                    try Task.checkCancellation()
                }
            }
        }
    }
}

/// Moves a database written by the row store into chunks in the background,
/// one series per transaction, then ends. Reads see both forms meanwhile.
struct SeriesUpgradeService: Service {
    let store: any Store
    let logger: Logger

    func run() async throws {
        var steps = 0
        let started = ContinuousClock.now
        while !Task.isCancelled, try await store.upgradeStep() {
            steps += 1
            if steps == 1 { logger.notice("moving the row store's points into chunks, one series at a time") }
            if steps % 100 == 0 { logger.info("upgrade in progress", metadata: ["steps": "\(steps)"]) }
        }
        if steps > 0 {
            logger.notice("upgrade done: every point is in chunks", metadata: ["steps": "\(steps)", "seconds": "\((ContinuousClock.now - started).seconds)"])
        }
    }
}
