import CollectorModel
import CollectorStore
import Foundation
import LegacyHTTP

/// The legacy routes' events go to the store; `insertEvents` returns after
/// the commit, so the answer that follows is a promise kept.
struct StoreEventSink: EventSink {
    let store: any Store

    func accept(_ events: [Event]) async throws {
        try await store.insertEvents(events, at: Date())
    }
}
