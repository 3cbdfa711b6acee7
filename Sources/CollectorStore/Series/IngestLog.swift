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
        var groups = SeriesGroups()
        for point in points { groups.add(point) }
        return groups.encoded()
    }

    /// An agent's points, and its events that carry no document, encoded
    /// ahead of the transaction on the caller's task; what needs the
    /// database (host names, document ids) is left for the transaction.
    /// Writes already prepared are returned as they are. The events are
    /// read in place: a batch holds thousands, and copying each into a
    /// point first cost more than encoding them.
    static func prepare(_ writes: [IngestWrite]) -> [IngestWrite] {
        writes.map { write in
            if case .points(let points) = write { return .encodedPoints(IngestLog.encode(points)) }
            guard case .batch(var batch) = write, batch.encoded.isEmpty else { return write }
            var groups = SeriesGroups()
            for point in batch.points { groups.add(point) }
            var documents = 0
            for event in batch.events {
                if event.carriesDocument {
                    documents += 1
                } else {
                    groups.add(namespace: event.namespace, name: event.name, labels: nil, nanos: event.time.clampedNanos, value: event.value)
                }
            }
            guard !groups.isEmpty else { return write }
            batch.encoded = groups.encoded()
            batch.points = []
            if documents == 0 { batch.events = [] } else { batch.events.removeAll { !$0.carriesDocument } }
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

/// Points gathered by series, each series' points in arrival order and the
/// series in order of first appearance. Runs of one series (the common
/// shape of a batch) are appended without a lookup.
struct SeriesGroups {
    private var order: [SeriesKey] = []
    private var groups: [SeriesKey: [ChunkPoint]] = [:]
    private var lastKey: SeriesKey?
    private var current: [ChunkPoint] = []

    var isEmpty: Bool { order.isEmpty && current.isEmpty }

    mutating func add(_ point: SeriesPoint) {
        add(namespace: point.namespace, name: point.name, labels: point.labels, nanos: point.nanos, value: point.value)
    }

    mutating func add(namespace: String, name: String, labels: SeriesLabels?, nanos: Int64, value: Double) {
        if lastKey?.name != name || lastKey?.namespace != namespace || lastKey?.labels != labels {
            closeRun()
            lastKey = SeriesKey(namespace: namespace, name: name, labels: labels)
        }
        current.append(ChunkPoint(time: nanos, value: value))
    }

    mutating func encoded() -> [EncodedSeries] {
        closeRun()
        return order.map { key in
            let points = groups[key] ?? []
            return EncodedSeries(namespace: key.namespace, name: key.name, labels: key.labels, count: points.count,
                                 bytes: ChunkCodec.encode(points))
        }
    }

    private mutating func closeRun() {
        guard let key = lastKey, !current.isEmpty else { return }
        if groups[key]?.append(contentsOf: current) == nil {
            groups[key] = current
            order.append(key)
        }
        current = []
    }
}
