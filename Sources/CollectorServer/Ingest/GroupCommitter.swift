import CollectorModel
import CollectorStore
import Foundation
import ServiceLifecycle
import ServiceSupport
import Synchronization

/// One writer for every door: agents' push streams, the legacy HTTP
/// routes, `Ingest.LogEvents` and the collector's own crawls. Each write
/// waits for a commit, never for an fsync of its own: the committer takes
/// what everyone submitted while the previous commit ran and stores it in
/// one transaction (the ingest log makes that transaction cheap whatever
/// the points), then hands each submitter its own outcomes.
///
/// A failed group is retried submission by submission, so one stream's bad
/// batch (an agent deleted meanwhile, say) fails that submitter only.
final class GroupCommitter: Service, Sendable {
    struct Submission: Sendable {
        var writes: [IngestWrite]
        var reply: Reply
    }

    private let store: any Store
    private let metrics: CollectorMetrics
    private let compaction: Doorbell
    private let queue = InFlightQueue<Submission>(capacity: .max)
    static let executor = DedicatedThreadExecutor(name: "collector-commit")

    init(store: any Store, metrics: CollectorMetrics, compaction: Doorbell) {
        self.store = store
        self.metrics = metrics
        self.compaction = compaction
    }

    /// Stores the writes in the next group; their outcomes, in order.
    func commit(_ writes: [IngestWrite]) async throws -> [BatchOutcome] {
        let reply = Reply()
        // Encoding happens here, on the submitter's task, beside the others.
        guard await queue.put(Submission(writes: store.prepare(writes), reply: reply)) else {
            throw StoreError.unavailable("the collector is shutting down")
        }
        return try await reply.outcomes()
    }

    func commit(_ batches: [IngestBatch]) async throws -> [BatchOutcome] {
        try await commit(batches.map(IngestWrite.batch))
    }

    /// Runs until graceful shutdown; the streams have ended by then (the
    /// gRPC server stops first), and what is still queued is committed.
    /// Cancelled, it stops taking submissions the same way: every stream
    /// waiting on it gets an answer, stored or failed, never silence.
    func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                // Its own thread: after each commit it must answer at once,
                // not wait for a cooperative thread busy with batches.
                await withTaskExecutorPreference(Self.executor) {
                    while let round = await queue.takeAll() {
                        await commit(round)
                        await queue.release(round.count)
                    }
                }
            } onGracefulShutdown: {
                Task { await self.queue.finish() }
            }
        } onCancel: {
            Task { await self.queue.finish() }
        }
    }

    private func commit(_ round: [Submission]) async {
        let started = ContinuousClock.now
        do {
            let outcomes = try await store.commit(round.flatMap(\.writes), at: Date())
            metrics.commitDuration.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
            compaction.ring()
            var rest = outcomes[...]
            for submission in round {
                submission.reply.send(.success(Array(rest.prefix(submission.writes.count))))
                rest = rest.dropFirst(submission.writes.count)
            }
        } catch where round.count > 1 {
            for submission in round { await commit([submission]) }
        } catch {
            for submission in round { submission.reply.send(.failure(error)) }
        }
    }
}

/// A submission's outcomes, sent once by the committer, awaited by its stream.
final class Reply: Sendable {
    private struct State {
        var result: Result<[BatchOutcome], any Error>?
        var waiter: CheckedContinuation<[BatchOutcome], any Error>?
    }
    private let state = Mutex(State())

    func send(_ result: Result<[BatchOutcome], any Error>) {
        let waiter = state.withLock { state in
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func outcomes() async throws -> [BatchOutcome] {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state in
                if state.result == nil { state.waiter = continuation }
                return state.result
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
