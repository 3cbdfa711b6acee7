import CollectorModel
import Foundation
import GRDB
import SeriesCodec

/// The write side: what a commit appends. Points go in one log row per
/// write, each series' points a chunk in arrival order; nothing else is
/// touched, so a commit costs one row whatever times its points carry.
enum IngestLog {
    enum Kind: Int {
        case points = 0
        case documents = 1
    }

    static func append(_ points: [SeriesPoint], engine: SeriesEngine, db: Database) throws {
        guard !points.isEmpty else { return }
        var order: [Int64] = []
        var sections: [Int64: [ChunkPoint]] = [:]
        var lastKey: SeriesKey?
        var lastID: Int64 = 0
        for point in points {
            if lastKey == nil || lastKey?.name != point.name || lastKey?.namespace != point.namespace {
                let key = SeriesKey(namespace: point.namespace, name: point.name)
                lastID = try engine.catalog.id(for: key, db: db)
                lastKey = key
            }
            let chunkPoint = ChunkPoint(time: point.time.unixNanos, value: point.value)
            if sections[lastID]?.append(chunkPoint) == nil {
                sections[lastID] = [chunkPoint]
                order.append(lastID)
            }
        }
        let row = IngestLogRow.encode(order.map { (seriesID: $0, chunk: ChunkCodec.encode(sections[$0] ?? [])) })
        try db.cachedStatement(sql: "INSERT INTO ingest_log (kind, count, data) VALUES (?, ?, ?)")
            .execute(arguments: [Kind.points.rawValue, points.count, Data(row)])
    }

    /// Each point section of the log rows in `ids` order, for compaction.
    static func rows(upTo budget: Int, db: Database) throws -> [(id: Int64, kind: Kind, data: [UInt8])] {
        var rows: [(id: Int64, kind: Kind, data: [UInt8])] = []
        var points = 0
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, kind, count, data FROM ingest_log ORDER BY id")
        while points < budget, let row = try cursor.next() {
            guard let kind = Kind(rawValue: row[1]) else { throw StoreError.unavailable("unknown ingest log kind \(row[1] as Int)") }
            let data: Data = row[3]
            rows.append((row[0], kind, [UInt8](data)))
            points += row[2] as Int
        }
        return rows
    }

    /// The points of one series still in the log (not yet compacted), for
    /// reads: the log is short, so a read scans it.
    static func tail(seriesID: Int64, db: Database, _ body: (Int64, Double) -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT data FROM ingest_log WHERE kind = ?", arguments: [Kind.points.rawValue])
        while let row = try cursor.next() {
            let data: Data = row[0]
            for section in try IngestLogRow.decode([UInt8](data)) where section.seriesID == seriesID {
                try ChunkCodec.forEach(Array(section.chunk), body)
            }
        }
    }

    /// Points waiting in the log.
    static func backlog(db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM ingest_log") ?? 0
    }
}
