import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    public func insertEvents(_ events: [Event], at time: Date) async throws {
        guard !events.isEmpty else { return }
        try requireFreeSpace()
        try await write { db in try self.insert(events: events, agentID: nil, db: db) }
    }

    /// An event id seen before is the same event sent again (a retry, or
    /// the legacy bridge and an agent both relaying it): the first is kept,
    /// and only a new event becomes a series point.
    func insert(events: [Event], agentID: String?, db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO events (id, namespace, name, time, value, uid, fields_json, agent_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
            """)
        var points: [SeriesPoint] = []
        for event in events {
            try statement.execute(arguments: [event.id, event.namespace, event.name, event.time.unixNanos, event.value,
                                              event.uid, event.fieldsJSON, agentID])
            if db.changesCount > 0 { points.append(event.seriesPoint) }
        }
        try insert(points: points, db: db)
    }

    public func event(id: String) async throws -> Event? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM events WHERE id = ?", arguments: [id]).map(Self.event(from:))
        }
    }

    public func events(namespace: String, name: String) async throws -> [Event] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM events WHERE namespace = ? AND name = ? ORDER BY time, id", arguments: [namespace, name])
                .map(Self.event(from:))
        }
    }

    static func event(from row: Row) -> Event {
        Event(id: row["id"], namespace: row["namespace"], name: row["name"], time: Date(unixNanos: row["time"]),
              value: row["value"], uid: row["uid"], fieldsJSON: row["fields_json"])
    }
}
