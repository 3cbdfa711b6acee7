import CollectorModel
import CollectorStore
import Foundation
import ServiceLifecycle
import Synchronization

/// One writer for every push stream. Each stream already commits what it
/// has queued in one transaction; with thousands of agents each sending a
/// batch now and then, every stream has one batch at a time, and a
/// transaction per batch makes the fsync and the page writes of each commit
/// the cost of each batch. The committer takes what every stream submitted
/// while the previous commit ran and stores it in one transaction, then
/// hands each stream its own outcomes.
///
/// A failed group is retried stream by stream, so one stream's bad batch
/// (an agent deleted meanwhile, say) fails that stream only.
final class GroupCommitter: Service, Sendable {
    struct Submission: Sendable {
        var batches: [IngestBatch]
        var reply: Reply
    }

    private let store: any Store
    private let metrics: CollectorMetrics
    private let queue = InFlightQueue<Submission>(capacity: .max)

    init(store: any Store, metrics: CollectorMetrics) {
        self.store = store
        self.metrics = metrics
    }

    /// Stores the batches in the next group; their outcomes, in order.
    func commit(_ batches: [IngestBatch]) async throws -> [BatchOutcome] {
        let reply = Reply()
        guard await queue.put(Submission(batches: batches, reply: reply)) else {
            throw StoreError.unavailable("the collector is shutting down")
        }
        return try await reply.outcomes()
    }

    /// Runs until graceful shutdown; the streams have ended by then (the
    /// gRPC server stops first), and what is still queued is committed.
    /// Cancelled, it stops taking submissions the same way: every stream
    /// waiting on it gets an answer, stored or failed, never silence.
    func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                while let round = await queue.takeAll() {
                    await commit(round)
                    await queue.release(round.count)
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
            let outcomes = try await store.commit(round.flatMap(\.batches), at: Date())
            metrics.commitDuration.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
            var rest = outcomes[...]
            for submission in round {
                submission.reply.send(.success(Array(rest.prefix(submission.batches.count))))
                rest = rest.dropFirst(submission.batches.count)
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
