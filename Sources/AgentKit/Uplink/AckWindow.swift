/// The batches sent on the current stream and not yet acknowledged. The
/// sender waits for room, so the agent never has more unacknowledged than
/// the collector allows.
actor AckWindow {
    let capacity: Int
    private var unacknowledged: Set<UInt64> = []
    private var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    private var nextWaiterID = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var room: Int { capacity - unacknowledged.count }

    /// The oldest batch the collector has not answered yet.
    var oldest: UInt64? { unacknowledged.min() }

    func sent(_ sequence: UInt64) { unacknowledged.insert(sequence) }

    func acknowledged(_ sequence: UInt64) {
        unacknowledged.remove(sequence)
        let woken = waiters
        waiters.removeAll()
        for waiter in woken.values { waiter.resume() }
    }

    /// Returns once there is room for another batch; throws when cancelled.
    func waitForRoom() async throws {
        while unacknowledged.count >= capacity {
            let id = nextWaiterID
            nextWaiterID += 1
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        waiters[id] = continuation
                    }
                }
            } onCancel: {
                Task { await self.cancelWaiter(id) }
            }
        }
    }

    private func cancelWaiter(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }
}
