import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ServiceSupport
import Synchronization

/// The pools the collector assigned this agent: in memory for the ping
/// input, on disk for when the collector is away at the next start. The
/// ping input waits here for a change or its next sweep instead of asking
/// every few hundred milliseconds; it used to read and decode `pools.json`
/// five times a second, the agent's largest steady cost with no pool at all.
public final class PoolAssignments: Sendable {
    private let file: String
    private let state: Mutex<State>

    private struct State {
        var pools: [Pool]
        var generation = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    init(file: String) {
        self.file = file
        let stored = FileManager.default.contents(atPath: file).flatMap { try? JSONDecoder().decode([Pool].self, from: $0) }
        state = Mutex(State(pools: stored ?? []))
    }

    public var current: [Pool] { state.withLock { $0.pools } }

    /// Stores `pools` if they differ from the current ones and wakes the
    /// waiters. Returns whether they differed.
    @discardableResult
    public func replace(with pools: [Pool]) throws -> Bool {
        guard pools != current else { return false }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try DurableFile.replace([Array(try encoder.encode(pools))], to: file)
        let woken = state.withLock { state in
            state.pools = pools
            state.generation += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
        return true
    }

    /// Returns when the pools change, at `deadline`, or when the task is
    /// cancelled, whichever comes first. A deadline of nil waits for a
    /// change or cancellation only.
    public func waitForChange(until deadline: ContinuousClock.Instant?) async {
        let generation = state.withLock { $0.generation }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.change(after: generation) }
            if let deadline {
                group.addTask { try? await Task.sleep(until: deadline) }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func change(after generation: Int) async {
        let waiter = state.withLock { state -> Int in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[waiter] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: waiter) }?.resume()
        }
    }
}
