import Foundation
import Synchronization

/// Logs in the background: `log` never blocks or throws; events wait in a
/// bounded queue (the oldest go when it is full, counted) and are sent in
/// order. Call `shutdown()` before the process exits to send what waits.
///
/// ```swift
/// let events = DeferredCollectorClient()
/// events.log(namespace: "shop", name: "checkout", value: 1)
/// ...
/// await events.shutdown()
/// ```
public final class DeferredCollectorClient: Sendable {
    public struct Counters: Sendable, Equatable {
        public var pending = 0
        public var sent = 0
        /// Dropped because the queue was full.
        public var dropped = 0
        /// Given up after the retries failed.
        public var failed = 0
    }

    private struct State {
        var counters = Counters()
        var flushWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Shared by callers and the sender task.
    private final class SharedState: Sendable {
        let mutex = Mutex(State())
        func withLock<T>(_ body: (inout State) -> T) -> T { mutex.withLock { body(&$0) } }
    }

    private let continuation: AsyncStream<CollectorClient.Entry>.Continuation
    private let state = SharedState()
    private let sender: Task<Void, Never>

    public init(client: CollectorClient = CollectorClient(), capacity: Int = 10_000, retries: Int = 3) {
        let (stream, continuation) = AsyncStream<CollectorClient.Entry>.makeStream(bufferingPolicy: .bufferingNewest(max(1, capacity)))
        self.continuation = continuation
        let state = self.state
        sender = Task {
            for await entry in stream {
                var delivered = false
                for attempt in 0...max(0, retries) {
                    do {
                        try await client.send(entry)
                        delivered = true
                        break
                    } catch {
                        try? await Task.sleep(for: .milliseconds(100 << min(attempt, 6)))
                    }
                }
                let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.counters.pending -= 1
                    if delivered { state.counters.sent += 1 } else { state.counters.failed += 1 }
                    guard state.counters.pending == 0 else { return [] }
                    defer { state.flushWaiters.removeAll() }
                    return state.flushWaiters
                }
                for waiter in waiters { waiter.resume() }
            }
        }
    }

    public var counters: Counters { state.withLock { $0.counters } }

    public func log(namespace: String, name: String, value: Double, at time: Date? = Date()) {
        state.withLock { $0.counters.pending += 1 }
        if case .dropped = continuation.yield(.init(namespace: namespace, name: name, value: value, time: time)) {
            state.withLock {
                $0.counters.pending -= 1
                $0.counters.dropped += 1
            }
        }
    }

    /// Returns once every event logged so far was sent or given up on.
    public func flush() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.counters.pending == 0 { return true }
                state.flushWaiters.append(waiter)
                return false
            }
            if done { waiter.resume() }
        }
    }

    /// Sends what waits, then stops the background sender.
    public func shutdown() async {
        await flush()
        continuation.finish()
        await sender.value
    }
}
