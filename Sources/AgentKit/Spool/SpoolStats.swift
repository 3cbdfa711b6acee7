/// A snapshot of the spool, for logs, metrics, the uplink and tests.
public struct SpoolStats: Sendable, Equatable {
    /// Batches stored and not yet acknowledged.
    public var batches: Int
    /// Payload bytes of those batches (what the bound counts).
    public var bytes: Int
    /// The newest sequence ever assigned, stored or not.
    public var lastSequence: UInt64
    /// Batches lost without delivery (bound overflow, corrupt or refused), ever.
    public var droppedBatches: UInt64
    /// The highest sequence among those; the collector uses it to accept the gap.
    public var droppedThrough: UInt64
    public var oldestSequence: UInt64?

    public init(batches: Int, bytes: Int, lastSequence: UInt64, droppedBatches: UInt64, droppedThrough: UInt64,
                oldestSequence: UInt64?) {
        self.batches = batches
        self.bytes = bytes
        self.lastSequence = lastSequence
        self.droppedBatches = droppedBatches
        self.droppedThrough = droppedThrough
        self.oldestSequence = oldestSequence
    }
}
