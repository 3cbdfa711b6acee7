import CollectorModel
import CollectorProto
import CollectorStore
import CollectorWire
import Foundation
import GRPCCore
import Logging
import ServiceSupport
import Synchronization

/// One agent's push stream. A reader validates batches and queues them (at
/// most `max_in_flight`); the RPC's own task hands everything queued to the
/// `GroupCommitter`, which stores it in one transaction with what other
/// streams submitted meanwhile, then acknowledges each batch. An ack is only
/// ever written after the commit that holds its batch returned.
struct PushSession: Sendable {
    let store: any Store
    let committer: GroupCommitter
    let connections: ConnectedAgents
    let site: String
    let limits: CollectorConfig.LimitsSection
    let logger: Logger
    let peer: String
    let shutdown: ShutdownSignal
    let metrics: CollectorMetrics

    func run(batches: RPCAsyncSequence<Collector_V1_Batch, any Error>, acks: RPCWriter<Collector_V1_Ack>) async throws {
        let queue = InFlightQueue<ReceivedBatch>(capacity: limits.maxInFlight)
        let agent = AgentOfStream()
        defer {
            if let id = agent.id { Task { await connections.disconnect(id) } }
        }
        // Two tasks a stream, the RPC's own and the reader: a collector holds
        // ten thousand streams, and every task keeps its async stack for the
        // stream's life.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // A bad batch ends the stream, but what was queued before it
                // is still committed and acknowledged first.
                do {
                    try await read(batches, into: queue, agent: agent)
                } catch {
                    await queue.finish()
                    throw error
                }
                await queue.finish()
            }
            do {
                // A closing collector ends the stream once what is queued is
                // committed; the agent resends the rest to the next one.
                try await shutdown.withHandler {
                    // Acks on the group committer's own thread: a commit
                    // returns to the thread that writes its acks, so no other
                    // thread has to wake between the two, and none waits for
                    // cooperative threads busy decoding (about a third fewer
                    // context switches per batch).
                    try await withTaskExecutorPreference(GroupCommitter.executor) {
                        try await commit(from: queue, acks: acks)
                    }
                } onFire: {
                    Task { await queue.finish() }
                }
            } catch {
                // A reader waiting for room must not wait for ever.
                await queue.finish()
                throw error
            }
            if shutdown.hasFired { throw RPCError(code: .unavailable, message: "the collector is shutting down") }
            // The reader's own end: a refused batch is the stream's error.
            try await group.waitForAll()
        }
    }

    private func read(_ batches: RPCAsyncSequence<Collector_V1_Batch, any Error>, into queue: InFlightQueue<ReceivedBatch>,
                      agent: AgentOfStream) async throws {
        let wireLimits = limits.wireLimits
        for try await wire in batches {
            let arrived = ContinuousClock.now
            var batch: IngestBatch
            do {
                batch = try IngestBatch(wire, limits: wireLimits)
                metrics.batchesReceived.increment()
                // Encoded here, each stream on its own task, not in the
                // committer's line.
                if case .batch(let prepared) = store.prepare([.batch(batch)]).first { batch = prepared }
            } catch {
                metrics.batchesRefused.increment()
                logger.warning("refused batch", metadata: ["peer": "\(peer)", "agent": "\(wire.agentID.prefix(128))", "reason": "\(error)"])
                throw RPCError(error)
            }
            if let id = agent.id {
                guard batch.agentID == id else {
                    throw RPCError(code: .invalidArgument, message: "agent_id changed from '\(id)' to '\(batch.agentID)' within one stream")
                }
            } else {
                try await accept(agentID: batch.agentID)
                agent.id = batch.agentID
                await connections.connect(batch.agentID)
            }
            if wire.hasSpool {
                await connections.report(batch.agentID, spool: SpoolReport(batches: wire.spool.batches, bytes: wire.spool.bytes, reported: Date()))
            }
            guard await queue.put(ReceivedBatch(batch: batch, arrived: arrived)) else { return }
        }
    }

    /// The first batch names the agent: it must be registered, in the
    /// token's site.
    private func accept(agentID: String) async throws {
        let record: AgentRecord?
        do {
            record = try await store.agent(id: agentID)
        } catch {
            throw RPCError(storeFailure: error)
        }
        guard let record, record.site == site else {
            logger.warning("refused stream of unknown agent", metadata: ["peer": "\(peer)", "agent": "\(agentID)"])
            throw RPCError(code: .failedPrecondition, message: "unknown agent '\(agentID)' for this site: call Register first")
        }
    }

    private func commit(from queue: InFlightQueue<ReceivedBatch>, acks: RPCWriter<Collector_V1_Ack>) async throws {
        while let received = await queue.takeAll() {
            let batches = received.map(\.batch)
            let outcomes: [BatchOutcome]
            do {
                outcomes = try await committer.commit(batches)
            } catch {
                logger.error("could not store batches", metadata: ["peer": "\(peer)", "error": "\(error)"])
                throw RPCError(storeFailure: error)
            }
            for (entry, outcome) in zip(received, outcomes) {
                let batch = entry.batch
                var ack = Collector_V1_Ack()
                ack.sequence = batch.sequence
                switch outcome {
                case .stored:
                    metrics.batchesStored.increment()
                    metrics.itemsStored.increment(by: Int64(batch.itemCount))
                    if !batch.refused.isEmpty {
                        metrics.itemsRefused.increment(by: Int64(batch.refused.count))
                        logger.warning("stored a batch without the records it refused", metadata: [
                            "agent": "\(batch.agentID)", "sequence": "\(batch.sequence)", "refused": "\(batch.refused.count)",
                            "first": "\(batch.refused[0])",
                        ])
                        ack.refused = batch.refused.map(Collector_V1_RefusedRecord.init)
                    }
                case .duplicate:
                    metrics.batchesDuplicate.increment()
                    ack.duplicate = true
                case .fromTheFuture(let expected):
                    logger.warning("refused batch from the future", metadata: [
                        "agent": "\(batch.agentID)", "sequence": "\(batch.sequence)", "expected": "\(expected)",
                    ])
                    throw RPCError(code: .failedPrecondition,
                                   message: "batch \(batch.sequence) is from the future: expected \(expected) (or a declared drop)")
                }
                try await acks.write(ack)
                metrics.batchAckLatency.recordNanoseconds((ContinuousClock.now - entry.arrived).nanoseconds)
                metrics.acksSent.increment()
            }
            await queue.release(batches.count)
        }
    }
}

/// A validated batch and when it came off the stream.
struct ReceivedBatch: Sendable {
    var batch: IngestBatch
    var arrived: ContinuousClock.Instant
}

/// The agent a stream belongs to, fixed by its first batch.
final class AgentOfStream: Sendable {
    private let value = Mutex<String?>(nil)

    var id: String? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
