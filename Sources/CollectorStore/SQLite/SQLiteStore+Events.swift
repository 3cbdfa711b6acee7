import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    public func insertEvents(_ events: [Event], at time: Date) async throws {
        guard !events.isEmpty else { return }
        _ = try await commit([.events(events, keepingIDs: true)], at: time)
    }

    /// An event that carries a document (or whose id is to be kept) and
    /// whose id was seen before is the same event sent again (a retry, or
    /// the legacy bridge and an agent both relaying it): the first is kept,
    /// and only a new event becomes a series point.
    func insert(events: [Event], agentID: String?, keepingIDs: Bool, db: Database) throws {
        let fresh = try EventDocuments.append(EventDocuments.kept(events, keepingIDs: keepingIDs), db: db)
        try insert(points: EventDocuments.points(of: events, keepingIDs: keepingIDs, fresh: fresh), db: db)
    }

    public func event(id: String) async throws -> Event? {
        try await pool.read { db in
            try EventDocuments.document(id: id, db: db) ?? self.series.legacyDocument(id: id, db: db)
        }
    }

    /// The documents of one series (events without one are points only).
    public func events(namespace: String, name: String) async throws -> [Event] {
        try await pool.read { db in
            var found = try EventDocuments.documents(namespace: namespace, name: name, db: db)
            if self.series.legacyRowsRemain {
                found += try Row.fetchAll(db, sql: "SELECT * FROM events WHERE namespace = ? AND name = ?", arguments: [namespace, name])
                    .map(Self.event(from:)).filter(\.carriesDocument)
            }
            return found.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        }
    }

    static func event(from row: Row) -> Event {
        Event(id: row["id"], namespace: row["namespace"], name: row["name"], time: Date(unixNanos: row["time"]),
              value: row["value"], uid: row["uid"], fieldsJSON: row["fields_json"])
    }
}
