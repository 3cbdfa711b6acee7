import Synchronization

/// Rings when there is work: a commit added to the ingest log, so the
/// compactor wakes at once instead of polling. Rings while nobody waits
/// are kept as one.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    init() {}

    func ring() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            if state.waiter == nil { state.rung = true }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns at the next ring (at once if one came meanwhile), after
    /// `timeout`, or when the task is cancelled.
    func wait(timeout: Duration) async {
        let timer = Task { [weak self] in
            // Cancelled because a ring came first: ringing now would wake
            // the next wait at once, and the one after that, for ever.
            do { try await Task.sleep(for: timeout) } catch { return }
            self?.ring()
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    if state.rung {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            ring()
        }
    }
}
