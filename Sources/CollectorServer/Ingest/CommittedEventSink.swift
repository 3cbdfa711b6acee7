import CollectorModel
import LegacyHTTP

/// The legacy routes' events go through the group committer like every
/// other write: the answer that follows waits for the commit that holds
/// them, shared with whatever else arrived meanwhile.
struct CommittedEventSink: EventSink {
    let committer: GroupCommitter

    func accept(_ events: [Event]) async throws {
        _ = try await committer.commit([.events(events, keepingIDs: false)])
    }
}
