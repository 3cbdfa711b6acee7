import CollectorModel

/// Where accepted events go: the collector's store, or an agent's spool.
/// `accept` returns only once the events are durable, because the answer
/// that follows tells the client they are.
public protocol EventSink: Sendable {
    func accept(_ events: [Event]) async throws
}
