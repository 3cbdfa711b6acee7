import CollectorModel
import Foundation
import GRDB
import SeriesCodec

/// A series as the InfluxDB API sees it: a plain series is a measurement
/// of its name with one field, `value`.
public struct StoredSeries: Sendable, Hashable {
    public var id: Int64
    public var namespace: String
    public var name: String
    /// Nil for a plain series.
    public var labels: SeriesLabels?

    public init(id: Int64, namespace: String, name: String, labels: SeriesLabels?) {
        self.id = id
        self.namespace = namespace
        self.name = name
        self.labels = labels
    }
}

/// Reads for the InfluxDB API: series by namespace, raw points by series,
/// and fixed-interval buckets (InfluxDB's `GROUP BY time(...)`) read from
/// the hour or day rollups where the interval allows, raw points elsewhere.
extension SeriesEngine {
    func namespaces(db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT namespace FROM series ORDER BY namespace")
    }

    func series(namespace: String, db: Database) throws -> [StoredSeries] {
        try Row.fetchAll(db, sql: """
            SELECT id, name, tags, measurement, field, field_type FROM series WHERE namespace = ? ORDER BY name, tags
            """, arguments: [namespace]).map { row in
            var labels: SeriesLabels?
            if let measurement: String = row["measurement"], let field: String = row["field"] {
                labels = SeriesLabels(measurement: measurement, field: field, tags: SeriesLabels.tags(fromText: row["tags"]),
                                      type: (row["field_type"] as String?).flatMap(SeriesLabels.FieldType.init(rawValue:)) ?? .float)
            }
            return StoredSeries(id: row["id"], namespace: namespace, name: row["name"], labels: labels)
        }
    }

    /// Buckets of `interval` nanoseconds aligned to `offset` from the epoch,
    /// the series merged, over [from, to).
    func fixedBuckets(seriesIDs: [Int64], from: Int64, to: Int64, interval: Int64, offset: Int64, now: Date,
                      snapshot: some SeriesSnapshot) throws -> [Int64: Accumulator] {
        guard interval > 0, from < to else { return [:] }
        func bucket(_ time: Int64) -> Int64 {
            let shifted = time &- offset
            let floor = shifted >= 0 ? shifted / interval : (shifted - interval + 1) / interval
            return floor &* interval &+ offset
        }
        var result: [Int64: Accumulator] = [:]
        func add(_ value: Double, at time: Int64) {
            result[bucket(time), default: Accumulator()].add(value, atNanos: time)
        }
        let plan = AggregationPlan(from: from, to: to, cutoffs: retention.cutoffs(now: now)) { level, _, _ in
            interval % level.widthNanos == 0 && offset % level.widthNanos == 0
        }
        for seriesID in seriesIDs {
            try read(seriesID: seriesID, plan: plan, from: from, to: to, snapshot: snapshot,
                     point: { add($1, at: $0) }, rows: { result[bucket($0), default: Accumulator()].merge($1) })
        }
        return result
    }
}
