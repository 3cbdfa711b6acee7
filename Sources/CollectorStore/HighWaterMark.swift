import CollectorModel

/// An agent's high-water mark: the last sequence stored and how many
/// batches it declared dropped. Both backends decide a batch's fate here,
/// against the mark read (and, on PostgreSQL, locked) in the committing
/// transaction, so a batch is stored exactly once however often it arrives.
struct HighWaterMark: Sendable, Equatable {
    var high: UInt64
    var dropped: UInt64

    /// The batch's outcome; when it is `.stored`, the mark has moved past it.
    mutating func admit(_ batch: IngestBatch) -> BatchOutcome {
        guard batch.sequence > high else { return .duplicate }
        let gap = batch.sequence - high - 1
        // A gap is allowed only where the agent says it dropped those batches.
        if gap > 0 && batch.droppedThrough < batch.sequence - 1 { return .fromTheFuture(expected: high + 1) }
        high = batch.sequence
        dropped += gap
        return .stored
    }
}
