import CollectorModel
import Foundation
import GRDB
import SeriesCodec

/// Moves a database written by the row store (every point a row of
/// `points`, every event a row of `events`, minute rollups kept for
/// everything) into chunks and document blocks, one series (or one slice
/// of events) per transaction, so a kill -9 at any moment leaves each
/// series wholly in one form and the next start goes on where it stopped.
/// Reads look in both forms meanwhile.
extension SeriesEngine {
    /// Whether the row store left anything to move.
    func rowsRemain(db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM points) OR EXISTS (SELECT 1 FROM events)") ?? false
    }

    /// One step; false once nothing is left.
    func upgradeStep(eventsPerStep: Int = 5000, db: Database) throws -> Bool {
        if let seriesID = try Int64.fetchOne(db, sql: "SELECT series_id FROM points LIMIT 1") {
            let rows = try Row.fetchAll(db, sql: "SELECT time, value FROM points WHERE series_id = ?", arguments: [seriesID])
            var windows: [Int64: [ChunkPoint]] = [:]
            var earliest = Int64.max
            for row in rows {
                let time: Int64 = row[0]
                earliest = min(earliest, time)
                windows[Self.window(ofNanos: time), default: []].append(ChunkPoint(time: time, value: row[1]))
            }
            for (window, points) in windows {
                for part in stride(from: 0, to: points.count, by: Self.openChunkPoints * 16) {
                    let slice = Array(points[part..<min(points.count, part + Self.openChunkPoints * 16)])
                    try Chunk(slice).insert(seriesID: seriesID, window: window, generation: 1, db: db)
                }
            }
            // Minutes the row store kept beside raw points are in the chunks
            // now; older minutes (raw already expired) stay.
            try db.execute(sql: "DELETE FROM rollup_minute WHERE series_id = ? AND start >= ?",
                           arguments: [seriesID, RollupLevel.minute.start(ofNanos: earliest)])
            try db.execute(sql: "DELETE FROM points WHERE series_id = ?", arguments: [seriesID])
            return true
        }
        let events = try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY rowid LIMIT ?", arguments: [eventsPerStep])
        guard !events.isEmpty else {
            legacyRows.store(false, ordering: .relaxed)
            return false
        }
        let documents = events.map { row in
            Event(id: row["id"], namespace: row["namespace"], name: row["name"], time: Date(unixNanos: row["time"]),
                  value: row["value"], uid: row["uid"], fieldsJSON: row["fields_json"])
        }.filter(\.carriesDocument)
        if !documents.isEmpty {
            try db.execute(sql: "INSERT INTO event_blocks (count, data) VALUES (?, ?)",
                           arguments: [documents.count, Data(try Deflate.compress(Array(try EventDocuments.encode(documents))))])
            let block = db.lastInsertedRowID
            for event in documents {
                try db.execute(sql: "INSERT INTO event_ids (id, block_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", arguments: [event.id, block])
            }
        }
        let ids = events.map { $0["id"] as String }
        try db.execute(sql: "DELETE FROM events WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))", arguments: StatementArguments(ids))
        return true
    }

    /// A document the upgrade has not moved yet.
    func legacyDocument(id: String, db: Database) throws -> Event? {
        guard legacyRowsRemain, let row = try Row.fetchOne(db, sql: "SELECT * FROM events WHERE id = ?", arguments: [id]) else { return nil }
        return Event(id: row["id"], namespace: row["namespace"], name: row["name"], time: Date(unixNanos: row["time"]),
                     value: row["value"], uid: row["uid"], fieldsJSON: row["fields_json"])
    }
}
