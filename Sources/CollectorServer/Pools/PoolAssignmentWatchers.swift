import Foundation
import Synchronization

/// Agents holding a `WatchAssignedPools` stream open, by agent id. An
/// operator's change to a pool wakes the agents it concerns (the pool's
/// agent before and after the change), which read their pools again and
/// send them down the stream, so a new pool is swept within seconds, not at
/// the agent's next poll. Wakes while a watcher is busy are kept as one.
public final class PoolAssignmentWatchers: Sendable {
    private let watchers = Mutex<[String: [UUID: AsyncStream<Void>.Continuation]]>([:])

    public init() {}

    /// One watcher: `changes` yields once per change to the agent's pools
    /// and ends (forgetting the watcher) when its consumer stops or `end()`
    /// is called.
    struct Watch: Sendable {
        let changes: AsyncStream<Void>
        let end: @Sendable () -> Void
    }

    func watch(agentID: String) -> Watch {
        let (changes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        watchers.withLock { $0[agentID, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.watchers.withLock { watchers in
                watchers[agentID]?[id] = nil
                if watchers[agentID]?.isEmpty == true { watchers[agentID] = nil }
            }
        }
        return Watch(changes: changes, end: { continuation.finish() })
    }

    /// The pools of these agents changed.
    func changed(agentIDs: some Sequence<String>) {
        let wake = watchers.withLock { watchers in Set(agentIDs).flatMap { watchers[$0].map { Array($0.values) } ?? [] } }
        for continuation in wake { continuation.yield() }
    }

    /// Agents watching now (tests and metrics).
    var watching: Int { watchers.withLock { $0.values.reduce(0) { $0 + $1.count } } }
}
