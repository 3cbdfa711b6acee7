import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Synchronization

/// Sweeps each assigned pool every interval of its own and hands the
/// results to the sink. Pools come from the agent's state, where the uplink
/// keeps what the collector last said; between sweeps the input sleeps
/// until the next one is due or the pools change.
public struct PingInput: AgentInput {
    public static let name = "ping"
    public static let sampleConfig = """
        # The ping input: the agent sweeps the lab pools the collector assigns it
        # (`collectorctl pools add NAME ... --agent AGENT_ID`) with its own ICMP echo
        # implementation: raw sockets (CAP_NET_RAW), or unprivileged ICMP sockets
        # where net.ipv4.ping_group_range allows. Which computers, and how often, come
        # from the collector; the last list is kept in the state directory for when
        # the collector is away. This section goes under `inputs:`; every key is
        # optional and shown with its default.
        ping:
          enabled: true
          timeout: 1s       # how long to wait for each reply (10ms...60s)
          retries: 1        # further attempts for a computer that did not answer (0...10)
          pace: 10ms        # gap between two sends, like fping's -i
          socket: auto      # auto (raw if permitted, else datagram), raw, or datagram (needs net.ipv4.ping_group_range)
        """

    let config: PingConfig
    let context: InputContext

    public init(config: PingConfig, context: InputContext) {
        self.config = config
        self.context = context
    }

    public func run(sink: BatchBuilder) async throws {
        let sweeper = Sweeper(settings: config.settings)
        let running = SweepsInProgress()
        var due: [Int64: ContinuousClock.Instant] = [:]
        try await withThrowingDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let now = ContinuousClock.now
                let pools = context.state.pools.current
                for pool in pools where (due[pool.id] ?? now) <= now {
                    guard running.start(pool.id) else { continue }
                    due[pool.id] = now + pool.interval
                    group.addTask {
                        defer { running.finish(pool.id) }
                        await sweep(pool, with: sweeper, into: sink)
                    }
                }
                // A pool still being swept past its time is looked at again shortly.
                let next = pools.map { max(due[$0.id] ?? now, now + .milliseconds(200)) }.min()
                await context.state.pools.waitForChange(until: next)
            }
        }
    }

    func sweep(_ pool: Pool, with sweeper: Sweeper, into sink: BatchBuilder) async {
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
            context.metrics.swept(pool: pool.name, duration: ContinuousClock.now - clock)
            try await sink.add(reachability)
            context.logger.debug("swept pool", metadata: ["pool": "\(pool.name)", "up": "\(reachability.filter(\.up).count)",
                                                  "computers": "\(pool.computers.count)", "seconds": "\((ContinuousClock.now - clock).seconds)"])
        } catch {
            context.logger.error("sweep failed", metadata: ["pool": "\(pool.name)", "error": "\(error)"])
        }
    }
}

/// Pools being swept now: a slow sweep is not started twice.
final class SweepsInProgress: Sendable {
    private let pools = Mutex<Set<Int64>>([])

    func start(_ pool: Int64) -> Bool { pools.withLock { $0.insert(pool).inserted } }
    func finish(_ pool: Int64) { _ = pools.withLock { $0.remove(pool) } }
}
