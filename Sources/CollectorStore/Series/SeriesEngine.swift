import CollectorModel
import Foundation
import GRDB
import Synchronization

/// One home for series on SQLite, shaped like InfluxDB's TSM and
/// Prometheus's TSDB:
/// - **write** (`IngestLog`): a commit appends the write's points to the
///   ingest log, one row per write, each series' points encoded as a chunk.
///   The acknowledgement waits for that commit only.
/// - **compact** (`Compaction`): in the background, log rows are taken in
///   order, their points sorted by series and time into per-series,
///   per-day chunks and folded into the hour and day rollups, and the log
///   rows deleted, all in one transaction. Chunks of one day may overlap;
///   they are merged level by level, so old and out-of-order points never
///   make compaction rewrite a day's chunks again and again.
/// - **read** (`SeriesReader`): chunks, rollups and the log tail merged, so
///   an acknowledged point is visible at once.
/// - **retain** (`SeriesRetention`): whole chunks go (downsampled to minute
///   rollups first when minutes are kept longer than raw points).
/// - **documents** (`EventDocuments`): events that carry a document keep it,
///   compressed in blocks, findable by id.
final class SeriesEngine: Sendable {
    let retention: Retention
    let catalog = SeriesCatalog()
    /// True while the upgrade still has points in the row store's `points`
    /// table to move into chunks: reads look there too.
    let legacyRows = Atomic<Bool>(false)
    var legacyRowsRemain: Bool { legacyRows.load(ordering: .relaxed) }
    /// How many points a chunk holds before new points start another.
    static let openChunkPoints = 512

    init(retention: Retention) {
        self.retention = retention
    }

    /// The day (UTC) a chunk covers: every chunk holds one series' points
    /// of one day.
    static let windowNanos: Int64 = 86_400 * 1_000_000_000

    static func window(ofNanos nanos: Int64) -> Int64 {
        // An open lower bound (distantPast) stays open.
        guard nanos > Int64.min + windowNanos else { return .min }
        let remainder = ((nanos % windowNanos) + windowNanos) % windowNanos
        return nanos &- remainder
    }
}

/// Series ids by (namespace, name, tags), for both backends. Only writers
/// touch it, inside write transactions; it is cleared when one rolls back.
final class SeriesCatalog: Sendable {
    private let ids = Mutex<[SeriesKey: Int64]>([:])

    func id(for key: SeriesKey, db: Database) throws -> Int64 {
        if let id = cachedID(of: key) { return id }
        try db.cachedStatement(sql: """
            INSERT INTO series (namespace, name, tags, measurement, field, field_type) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (namespace, name, tags) DO NOTHING
            """).execute(arguments: [key.namespace, key.name, key.tags, key.labels?.measurement, key.labels?.field, key.labels?.type.rawValue])
        guard let id = try Self.existingID(of: key, db: db) else { throw StoreError.unavailable("series row vanished") }
        remember(id, for: key)
        return id
    }

    func cachedID(of key: SeriesKey) -> Int64? {
        ids.withLock { $0[key] }
    }

    func remember(_ id: Int64, for key: SeriesKey) {
        ids.withLock { $0[key] = id }
    }

    /// A read: the id if the series exists, without creating it.
    static func existingID(of key: SeriesKey, db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM series WHERE namespace = ? AND name = ? AND tags = ?"),
                           arguments: [key.namespace, key.name, key.tags])
    }

    func forget() {
        ids.withLock { $0.removeAll() }
    }
}

/// A series' identity: namespace, name and tag set (empty for a series
/// that has none, as every series but InfluxDB's).
struct SeriesKey: Hashable, Sendable {
    var namespace: String
    var name: String
    var tags: String
    /// Stored with the series when it is made; not part of its identity
    /// beyond `tags`.
    var labels: SeriesLabels?

    init(namespace: String, name: String, labels: SeriesLabels? = nil) {
        self.namespace = namespace
        self.name = name
        self.labels = labels
        tags = labels?.tagText ?? ""
    }

    static func == (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        lhs.namespace == rhs.namespace && lhs.name == rhs.name && lhs.tags == rhs.tags
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(namespace)
        hasher.combine(name)
        hasher.combine(tags)
    }
}
