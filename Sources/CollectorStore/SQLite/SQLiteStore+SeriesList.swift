import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    /// Series names from the `series` table, in namespace and name order:
    /// only `namespace` when given, only those whose namespace or name
    /// holds `filter` (any case) when it is not empty.
    public func seriesNames(filter: String, namespace: String?, limit: Int) async throws -> SeriesNamePage {
        let limit = max(1, limit)
        return try await pool.read { db in
            // One more than asked, to know whether there are more.
            let rows = try Row.fetchAll(db, sql: """
                SELECT namespace, name FROM series
                WHERE (?1 IS NULL OR namespace = ?1)
                  AND (?2 = '' OR instr(lower(namespace), lower(?2)) > 0 OR instr(lower(name), lower(?2)) > 0)
                ORDER BY namespace, name
                LIMIT ?3
                """, arguments: [namespace, filter, limit + 1])
            let names = rows.prefix(limit).map { SeriesName(namespace: $0["namespace"], name: $0["name"]) }
            return SeriesNamePage(series: Array(names), truncated: rows.count > limit)
        }
    }
}
