/// The counters that must survive a restart, kept in the spool's `state`
/// file. Batch files alone cannot tell them: once every batch is
/// acknowledged or dropped there is nothing left to count from.
struct SpoolState: Codable, Equatable {
    var lastSequence: UInt64 = 0
    var droppedBatches: UInt64 = 0
    var droppedThrough: UInt64 = 0

    /// Counts `sequences` as lost without delivery.
    mutating func recordDropped<S: Sequence<UInt64>>(_ sequences: S) {
        for sequence in sequences {
            droppedBatches += 1
            droppedThrough = max(droppedThrough, sequence)
        }
    }
}
