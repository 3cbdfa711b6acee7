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

    /// Points grouped by series (in order of first appearance) and each
    /// series encoded: the work of a log row that needs no database.
    static func encode(_ points: [SeriesPoint]) -> [EncodedSeries] {
        var order: [SeriesKey] = []
        var groups: [SeriesKey: [ChunkPoint]] = [:]
        var lastKey: SeriesKey?
        var current: [ChunkPoint] = []
        func close() {
            guard let key = lastKey, !current.isEmpty else { return }
            if groups[key]?.append(contentsOf: current) == nil {
                groups[key] = current
                order.append(key)
            }
            current = []
        }
        for point in points {
            if lastKey?.name != point.name || lastKey?.namespace != point.namespace || lastKey?.labels != point.labels {
                close()
                lastKey = SeriesKey(namespace: point.namespace, name: point.name, labels: point.labels)
            }
            current.append(ChunkPoint(time: point.nanos, value: point.value))
        }
        close()
        return order.map { key in
            let points = groups[key] ?? []
            return EncodedSeries(namespace: key.namespace, name: key.name, labels: key.labels, count: points.count,
                                 bytes: ChunkCodec.encode(points))
        }
    }

    /// An agent's points, and its events that carry no document, encoded
    /// ahead of the transaction on the caller's task; what needs the
    /// database (host names, document ids) is left for the transaction.
    /// Writes already prepared are returned as they are.
    static func prepare(_ writes: [IngestWrite]) -> [IngestWrite] {
        writes.map { write in
            if case .points(let points) = write { return .encodedPoints(IngestLog.encode(points)) }
            guard case .batch(var batch) = write, batch.encoded.isEmpty else { return write }
            let plain = batch.events.filter { !$0.carriesDocument }
            guard !batch.points.isEmpty || !plain.isEmpty else { return write }
            batch.encoded = IngestLog.encode(batch.points + plain.map(\.seriesPoint))
            batch.points = []
            if plain.count == batch.events.count { batch.events = [] } else { batch.events.removeAll { !$0.carriesDocument } }
            return .batch(batch)
        }
    }

    static func append(_ points: [SeriesPoint], engine: SeriesEngine, db: Database) throws {
        try append(encoded: encode(points), engine: engine, db: db)
    }

    /// One log row for a write's encoded series, in the caller's transaction.
    static func append(encoded series: [EncodedSeries], engine: SeriesEngine, db: Database) throws {
        guard !series.isEmpty else { return }
        var sections: [(seriesID: Int64, chunk: [UInt8])] = []
        sections.reserveCapacity(series.count)
        for part in series {
            let key = SeriesKey(namespace: part.namespace, name: part.name, labels: part.labels)
            sections.append((try engine.catalog.id(for: key, db: db), part.bytes))
        }
        try db.cachedStatement(sql: "INSERT INTO ingest_log (kind, count, data) VALUES (?, ?, ?)")
            .execute(arguments: [Kind.points.rawValue, series.reduce(0) { $0 + $1.count }, Data(IngestLogRow.encode(sections))])
    }

    /// One row of the log as compaction reads it.
    struct Record: Sendable {
        var id: Int64
        var kind: Kind
        var data: [UInt8]

        init(id: Int64, kind rawKind: Int, data: [UInt8]) throws {
            guard let kind = Kind(rawValue: rawKind) else { throw StoreError.unavailable("unknown ingest log kind \(rawKind)") }
            self.id = id
            self.kind = kind
            self.data = data
        }
    }

    /// Log rows in id order until they hold `budget` points, for compaction.
    static func rows(upTo budget: Int, db: Database) throws -> [Record] {
        var rows: [Record] = []
        var points = 0
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, kind, count, data FROM ingest_log ORDER BY id")
        while points < budget, let row = try cursor.next() {
            let data: Data = row[3]
            rows.append(try Record(id: row[0], kind: row[1], data: [UInt8](data)))
            points += row[2] as Int
        }
        return rows
    }

    /// Points waiting in the log.
    static func backlog(db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM ingest_log") ?? 0
    }
}
