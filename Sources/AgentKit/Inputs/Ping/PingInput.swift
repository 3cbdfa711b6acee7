import CollectorModel
import Foundation
import Logging
import Synchronization

/// Sweeps each assigned pool every interval of its own and hands the
/// results to the batch builder. Pools come from the state directory, where
/// the uplink keeps what the collector last said.
struct PingInput: Sendable {
    let config: PingConfig
    let state: AgentState
    let builder: BatchBuilder
    let metrics: AgentMetrics
    let logger: Logger

    func run() async throws {
        let sweeper = Sweeper(settings: config.settings)
        let running = SweepsInProgress()
        var due: [Int64: ContinuousClock.Instant] = [:]
        try await withThrowingDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let now = ContinuousClock.now
                for pool in state.assignedPools() where (due[pool.id] ?? now) <= now {
                    guard running.start(pool.id) else { continue }
                    due[pool.id] = now + pool.interval
                    group.addTask {
                        defer { running.finish(pool.id) }
                        await sweep(pool, with: sweeper)
                    }
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    func sweep(_ pool: Pool, with sweeper: Sweeper) async {
        guard !pool.computers.isEmpty else { return }
        let started = Date()
        let clock = ContinuousClock.now
        do {
            let results = try await sweeper.sweep(pool.computers)
            let reachability = pool.computers.map { address in
                let result = results[address] ?? SweepResult(up: false, rttMilliseconds: 0, reason: .timeout)
                return Reachability(poolID: pool.id, address: address, time: started, up: result.up,
                                    rttMilliseconds: result.rttMilliseconds, reason: result.reason)
            }
            metrics.swept(pool: pool.name, duration: ContinuousClock.now - clock)
            try await builder.add(reachability)
            logger.debug("swept pool", metadata: ["pool": "\(pool.name)", "up": "\(reachability.filter(\.up).count)",
                                                  "computers": "\(pool.computers.count)", "seconds": "\((ContinuousClock.now - clock).seconds)"])
        } catch {
            logger.error("sweep failed", metadata: ["pool": "\(pool.name)", "error": "\(error)"])
        }
    }
}

/// Pools being swept now: a slow sweep is not started twice.
final class SweepsInProgress: Sendable {
    private let pools = Mutex<Set<Int64>>([])

    func start(_ pool: Int64) -> Bool { pools.withLock { $0.insert(pool).inserted } }
    func finish(_ pool: Int64) { _ = pools.withLock { $0.remove(pool) } }
}
