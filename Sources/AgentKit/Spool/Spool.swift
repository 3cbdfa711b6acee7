import Logging

/// The agent's on-disk queue of batches the collector has not acknowledged.
///
/// One file per batch, named by its sequence; a small `state` file keeps
/// the last sequence handed out and the drop counters. Every change is
/// durable before the call returns, so kill -9 or power loss loses nothing
/// the spool has accepted. The only loss is deliberate: past `maxBytes`
/// the oldest batches go, and are counted so the collector can tell a
/// dropped gap from a missing one.
public actor Spool {
    private let files: SpoolDirectory
    private let maxBytes: Int
    private let logger: Logger
    /// Oldest first. Sequences only grow, so appends go at the end.
    private var batches: [StoredBatch]
    private var bytes: Int
    private var state: SpoolState
    private var dropReporter = DropReporter()
    private var waiters: [Int: Waiter] = [:]
    private var nextWaiterID = 0

    private struct Waiter {
        let after: UInt64
        let continuation: CheckedContinuation<Void, Never>
    }

    /// Opens the spool in `directory` (created, mode 0700, if missing) and
    /// recovers what a previous run left there.
    public init(directory: String, maxBytes: Int, logger: Logger) throws {
        guard maxBytes > 0 else { throw SpoolError("maxBytes must be positive, not \(maxBytes)") }
        var logger = logger
        logger[metadataKey: "spool"] = "\(directory)"
        let files = SpoolDirectory(path: directory)
        let recovered = try files.recover(logger: logger)
        self.files = files
        self.maxBytes = maxBytes
        self.logger = logger
        let bytes = recovered.batches.reduce(0) { $0 + $1.size }
        batches = recovered.batches
        self.bytes = bytes
        state = recovered.state
        logger.info("spool opened", metadata: [
            "batches": "\(recovered.batches.count)", "bytes": "\(bytes)", "last_sequence": "\(recovered.state.lastSequence)",
            "dropped_batches": "\(recovered.state.droppedBatches)",
        ])
    }

    public var stats: SpoolStats {
        SpoolStats(batches: batches.count, bytes: bytes, lastSequence: state.lastSequence,
                   droppedBatches: state.droppedBatches, droppedThrough: state.droppedThrough,
                   oldestSequence: batches.first?.sequence)
    }

    // MARK: - Appending

    /// Stores `payload` as the next batch and returns its sequence.
    @discardableResult
    public func append(_ payload: [UInt8]) throws -> UInt64 {
        try append { _ in payload }
    }

    /// Stores the batch `build` makes for the next sequence, for payloads
    /// that carry their own sequence. If `build` throws or the payload is
    /// refused, the sequence is not used up.
    @discardableResult
    public func append(_ build: (UInt64) throws -> [UInt8]) throws -> UInt64 {
        guard state.lastSequence < .max else { throw SpoolError("sequence numbers exhausted") }
        let sequence = state.lastSequence + 1
        let payload = try build(sequence)
        guard payload.count <= maxBytes else {
            throw SpoolError("batch of \(payload.count) bytes is larger than the whole spool (\(maxBytes) bytes); refused")
        }
        try files.writeBatch(payload, sequence: sequence)
        // The batch is durable now. Whatever happens below, this is a
        // success: failing would make the caller spool the same records
        // again under a new sequence.
        batches.append(StoredBatch(sequence: sequence, size: payload.count))
        bytes += payload.count
        state.lastSequence = sequence
        let dropped = enforceBound()
        dropReporter.note(dropped: dropped, total: state.droppedBatches, logger: logger)
        wakeWaiters()
        return sequence
    }

    /// Drops the oldest batches until the rest fit in `maxBytes`, never the
    /// newest (it fits alone: larger payloads are refused). Persists the
    /// counters, together with the last sequence, before any file goes: a
    /// drop the collector is never told about would stall delivery at the
    /// gap. Returns how many batches were dropped.
    private func enforceBound() -> Int {
        var victims = 0
        var remaining = bytes
        while remaining > maxBytes, batches.count - victims > 1 {
            remaining -= batches[victims].size
            victims += 1
        }
        let dropped = batches.prefix(victims)
        var next = state
        next.recordDropped(dropped.lazy.map(\.sequence))
        do {
            try files.writeState(next)
        } catch {
            // The batch files still hold the last sequence; the drops wait
            // for the next append, over the bound meanwhile.
            logger.error("cannot persist spool state; batches over the bound are kept for now", metadata: ["error": "\(error)"])
            return 0
        }
        state = next
        guard victims > 0 else { return 0 }
        for batch in dropped {
            do {
                try files.removeBatch(batch.sequence)
            } catch {
                logger.error("cannot delete a dropped batch", metadata: ["sequence": "\(batch.sequence)", "error": "\(error)"])
            }
        }
        batches.removeFirst(victims)
        bytes = remaining
        do {
            try files.sync()
        } catch {
            logger.error("cannot sync the spool directory after dropping batches", metadata: ["error": "\(error)"])
        }
        return victims
    }

    /// Makes sure sequences from now on are above `sequence`: the
    /// collector's high-water mark, so a wiped or restored spool never
    /// reuses a number the collector already holds (it would take the new
    /// batch for a duplicate and discard it).
    public func setMinimumSequence(_ sequence: UInt64) throws {
        guard sequence > state.lastSequence else { return }
        var next = state
        next.lastSequence = sequence
        try files.writeState(next)
        state = next
    }

    // MARK: - Replaying

    /// Up to `limit` stored batches with a sequence above `sequence`, oldest
    /// first. A batch file that cannot be read is set aside and counted as
    /// dropped (logged), so one bad file does not block those behind it.
    public func pending(after sequence: UInt64, limit: Int) throws -> [(sequence: UInt64, payload: [UInt8])] {
        var result: [(sequence: UInt64, payload: [UInt8])] = []
        var damaged: [UInt64] = []
        var index = firstIndex { $0 > sequence }
        while index < batches.count, result.count < limit {
            let batch = batches[index]
            index += 1
            switch try files.readBatch(batch.sequence) {
            case .payload(let payload):
                result.append((batch.sequence, payload))
            case .damaged(let reason):
                logger.error("spooled batch is unreadable; set it aside, counted as dropped",
                             metadata: ["sequence": "\(batch.sequence)", "error": "\(reason)"])
                damaged.append(batch.sequence)
            }
        }
        try setAside(damaged)
        return result
    }

    /// Sets a batch aside that the collector refuses outright (resending it
    /// would block everything behind it): moved into `quarantine/`, no longer
    /// pending, counted as dropped. Unknown sequences are ignored.
    public func quarantine(_ sequence: UInt64) throws {
        try setAside([sequence])
    }

    private func setAside(_ sequences: [UInt64]) throws {
        let known = sequences.filter { sequence in batches.contains { $0.sequence == sequence } }
        guard !known.isEmpty else { return }
        var next = state
        next.recordDropped(known)
        try files.writeState(next)
        state = next
        for sequence in known {
            if let index = batches.firstIndex(where: { $0.sequence == sequence }) {
                bytes -= batches[index].size
                batches.remove(at: index)
            }
            do {
                try files.quarantine(sequence)
            } catch {
                logger.error("cannot move a batch into quarantine", metadata: ["sequence": "\(sequence)", "error": "\(error)"])
            }
        }
    }

    // MARK: - Acknowledging

    // Deletions are not followed by a directory fsync: if power loss undoes
    // one, the batch is sent again and the collector answers "duplicate".

    /// Deletes the batch `sequence`, if stored.
    public func acknowledge(_ sequence: UInt64) throws {
        let index = firstIndex { $0 >= sequence }
        guard index < batches.count, batches[index].sequence == sequence else { return }
        try files.removeBatch(sequence)
        bytes -= batches[index].size
        batches.remove(at: index)
    }

    /// A batch the collector stored except for some records it refused:
    /// acknowledged, and kept in `quarantine/` beside a file naming each
    /// refused record and why, since the agent had already accepted them.
    public func acknowledge(_ sequence: UInt64, refused reasons: [String]) throws {
        guard !reasons.isEmpty else { return try acknowledge(sequence) }
        let index = firstIndex { $0 >= sequence }
        guard index < batches.count, batches[index].sequence == sequence else { return }
        try files.quarantine(sequence, reasons: reasons)
        bytes -= batches[index].size
        batches.remove(at: index)
    }

    /// Deletes every stored batch with a sequence up to `sequence`.
    public func acknowledge(through sequence: UInt64) throws {
        let count = firstIndex { $0 > sequence }
        var removed = 0
        defer {
            bytes -= batches.prefix(removed).reduce(0) { $0 + $1.size }
            batches.removeFirst(removed)
        }
        for batch in batches.prefix(count) {
            try files.removeBatch(batch.sequence)
            removed += 1
        }
    }

    // MARK: - Waiting

    /// Returns once a batch with a sequence above `sequence` is stored, at
    /// once if there is one; also returns (without it) when the task is
    /// cancelled.
    public func waitForData(after sequence: UInt64) async {
        if hasData(after: sequence) || Task.isCancelled { return }
        let id = nextWaiterID
        nextWaiterID += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Runs on the actor before it suspends, so a cancellation
                // either happened already (seen here) or comes after the
                // waiter is registered (seen by `cancelWaiter`).
                if hasData(after: sequence) || Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters[id] = Waiter(after: sequence, continuation: continuation)
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Tasks suspended in `waitForData`; for tests, to see none is leaked.
    var waitingCount: Int { waiters.count }

    private func cancelWaiter(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume()
    }

    private func wakeWaiters() {
        for (id, waiter) in waiters where hasData(after: waiter.after) {
            waiters.removeValue(forKey: id)
            waiter.continuation.resume()
        }
    }

    private func hasData(after sequence: UInt64) -> Bool {
        (batches.last?.sequence ?? 0) > sequence
    }

    /// The first index whose sequence satisfies `isPast`, which must be
    /// false then true along the (sorted) batches: a binary search.
    private func firstIndex(where isPast: (UInt64) -> Bool) -> Int {
        var low = 0
        var high = batches.count
        while low < high {
            let middle = (low + high) / 2
            if isPast(batches[middle].sequence) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
