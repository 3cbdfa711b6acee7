import CollectorModel
import PostgresNIO

extension PostgresStore: SeriesListStore {
    /// As on SQLite; names sort byte by byte (`COLLATE "C"`), as SQLite
    /// sorts them, whatever the database's locale.
    public func seriesNames(filter: String, namespace: String?, limit: Int) async throws -> SeriesNamePage {
        let limit = max(1, limit)
        // One more than asked, to know whether there are more.
        let rows = try await query("""
            SELECT namespace, name FROM series
            WHERE (\(namespace)::TEXT IS NULL OR namespace = \(namespace))
              AND (\(filter) = '' OR strpos(lower(namespace), lower(\(filter))) > 0 OR strpos(lower(name), lower(\(filter))) > 0)
            ORDER BY namespace COLLATE "C", name COLLATE "C"
            LIMIT \(limit + 1)
            """).all { row in SeriesName(namespace: try row["namespace"], name: try row["name"]) }
        return SeriesNamePage(series: Array(rows.prefix(limit)), truncated: rows.count > limit)
    }
}
