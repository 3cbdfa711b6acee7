import CollectorModel
import Foundation
import GRDB
import SeriesCodec

/// Events that carry a document (the event service's free fields and uid,
/// or an id a client chose to retry by) keep it: in a documents row of the
/// log at first, then, after compaction, compressed in blocks. `event_ids`
/// finds a document by id wherever it is, and makes an id stored once the
/// only one: a retry changes nothing. Events without a document are series
/// points only.
enum EventDocuments {
    /// Appends the documents of events not stored before, in the caller's
    /// transaction; returns those new events (the others are retries).
    static func append(_ events: [Event], db: Database) throws -> [Event] {
        guard !events.isEmpty else { return [] }
        let logID = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM ingest_log")) ?? 1
        let claim = try db.cachedStatement(sql: "INSERT INTO event_ids (id, log_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")
        var fresh: [Event] = []
        for event in events {
            try claim.execute(arguments: [event.id, logID])
            if db.changesCount > 0 { fresh.append(event) }
        }
        guard !fresh.isEmpty else { return [] }
        try db.execute(sql: "INSERT INTO ingest_log (id, kind, count, data) VALUES (?, ?, ?, ?)",
                       arguments: [logID, IngestLog.Kind.documents.rawValue, fresh.count, try encode(fresh)])
        return fresh
    }

    static func document(id: String, db: Database) throws -> Event? {
        guard let row = try Row.fetchOne(db, sql: "SELECT log_id, block_id FROM event_ids WHERE id = ?", arguments: [id]) else {
            return nil
        }
        let events: [Event]
        if let logID: Int64 = row["log_id"] {
            guard let data = try Data.fetchOne(db, sql: "SELECT data FROM ingest_log WHERE id = ?", arguments: [logID]) else { return nil }
            events = try decode([UInt8](data))
        } else if let blockID: Int64 = row["block_id"] {
            guard let data = try Data.fetchOne(db, sql: "SELECT data FROM event_blocks WHERE id = ?", arguments: [blockID]) else { return nil }
            events = try decode(try Deflate.decompress([UInt8](data)))
        } else {
            return nil
        }
        return events.first { $0.id == id }
    }

    /// Every document of one series, by time: a scan, for tools and tests.
    static func documents(namespace: String, name: String, db: Database) throws -> [Event] {
        var found: [Event] = []
        for data in try Data.fetchAll(db, sql: "SELECT data FROM ingest_log WHERE kind = ?", arguments: [IngestLog.Kind.documents.rawValue]) {
            found += try decode([UInt8](data)).filter { $0.namespace == namespace && $0.name == name }
        }
        for data in try Data.fetchAll(db, sql: "SELECT data FROM event_blocks") {
            found += try decode(try Deflate.decompress([UInt8](data))).filter { $0.namespace == namespace && $0.name == name }
        }
        return found.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }

    /// The events of a write whose documents and ids are kept.
    static func kept(_ events: [Event], keepingIDs: Bool) -> [Event] {
        keepingIDs ? events : events.filter(\.carriesDocument)
    }

    /// The series points of a write of events, once the kept ones were
    /// claimed (`fresh`): an event whose id was seen before is the same
    /// event sent again (a retry, or the legacy bridge and an agent both
    /// relaying it), and only a new event becomes a point.
    static func points(of events: [Event], keepingIDs: Bool, fresh: [Event]) -> [SeriesPoint] {
        let freshIDs = Set(fresh.map(\.id))
        var points: [SeriesPoint] = []
        points.reserveCapacity(events.count)
        for event in events where !(keepingIDs || event.carriesDocument) || freshIDs.contains(event.id) {
            points.append(event.seriesPoint)
        }
        // The event service's events are also the measurements it wrote to
        // InfluxDB, for the InfluxDB API.
        for event in fresh where event.namespace == LegacyEventBody.statsNamespace && event.carriesDocument {
            points += event.measurementPoints()
        }
        return points
    }

    static func encode(_ events: [Event]) throws -> Data {
        try JSONEncoder().encode(events)
    }

    static func decode(_ bytes: [UInt8]) throws -> [Event] {
        do {
            return try JSONDecoder().decode([Event].self, from: Data(bytes))
        } catch {
            throw StoreError.unavailable("an event document block does not decode: \(error)")
        }
    }
}

extension Event {
    /// Whether the event has more to keep than its point: free fields or
    /// a uid. Others are stored as series points only.
    public var carriesDocument: Bool { !uid.isEmpty || (fieldsJSON != "{}" && !fieldsJSON.isEmpty) }
}
