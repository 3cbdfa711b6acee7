import Foundation
import GRDB
import NIOCore
import PostgresNIO

/// Moves a single-node deployment's SQLite database into an empty
/// PostgreSQL (`collector migrate-store`): every table the PostgreSQL schema
/// has, row by row with its ids, the points in their chunks and the log in
/// its rows as they are (both backends encode them alike). One transaction:
/// a failure leaves the target empty, so the move can simply be run again.
/// Each table is then read back and checked against the source by its row
/// count and an order-free checksum of its rows.
public enum StoreMigration {
    public struct TableReport: Sendable, Equatable {
        public var table: String
        public var sourceRows: Int
        public var targetRows: Int
        public var sourceChecksum: UInt64
        public var targetChecksum: UInt64
        public var matches: Bool { sourceRows == targetRows && sourceChecksum == targetChecksum }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Tables in the order their references need; others the PostgreSQL
    /// schema has follow by name. Not moved: what each database keeps for
    /// itself.
    static let order = ["sites", "tokens", "oauth_clients", "instances", "agents", "host_samples", "series", "ingest_log",
                        "console_users", "console_sessions", "crawl_history", "event_ids", "event_blocks", "pools", "computers",
                        "reachability", "computer_state", "chunks"]
    static let skipped: Set<String> = ["schema_migrations", "leases", "readiness_probe"]
    static let rowsPerStatement = 500

    struct Column {
        var name: String
        var type: String
        var identity: Bool
    }

    public static func run(from source: SQLiteStore, to target: PostgresStore) async throws -> [TableReport] {
        guard !source.series.legacyRowsRemain else {
            throw Failure(description: "the SQLite database still holds points of the old row store: start the collector on it once and let it finish its upgrade")
        }
        try await target.migrate()
        return try await target.transaction { connection in
            let tables = try await targetTables(connection)
            for table in tables.keys.sorted() {
                if try await connection.query("SELECT 1 AS found FROM \(unescaped: quoted(table)) LIMIT 1").firstRow({ _ in true }) != nil {
                    throw Failure(description: "the target database is not empty (\(table) has rows); migrate into a new, empty database")
                }
            }
            var reports: [TableReport] = []
            for table in order.filter({ tables[$0] != nil }) + tables.keys.filter({ !order.contains($0) }).sorted() {
                guard let columns = tables[table] else { continue }
                reports.append(try await copy(table, columns: columns, from: source, to: target, connection))
            }
            if let failed = reports.first(where: { !$0.matches }) {
                throw Failure(description: "\(failed.table): \(failed.sourceRows) rows read, \(failed.targetRows) stored, checksums \(failed.sourceChecksum) and \(failed.targetChecksum); nothing was kept")
            }
            return reports
        }
    }

    /// The target's tables and their columns, from its catalog.
    static func targetTables(_ connection: PostgresConnection) async throws -> [String: [Column]] {
        var tables: [String: [Column]] = [:]
        for (table, column) in try await connection.query("""
            SELECT table_name::TEXT AS table_name, column_name::TEXT AS column_name, data_type::TEXT AS data_type,
                   is_identity::TEXT AS is_identity
            FROM information_schema.columns
            JOIN pg_class ON pg_class.relname = table_name AND pg_class.relnamespace = 'public'::regnamespace
            WHERE table_schema = 'public' AND NOT pg_class.relispartition ORDER BY table_name, ordinal_position
            """).all({ row in
                (try row["table_name", as: String.self],
                 Column(name: try row["column_name", as: String.self], type: try row["data_type", as: String.self],
                        identity: try row["is_identity", as: String.self] == "YES"))
            }) where !skipped.contains(table) {
            tables[table, default: []].append(column)
        }
        return tables
    }

    static func copy(_ table: String, columns targetColumns: [Column], from source: SQLiteStore, to target: PostgresStore,
                     _ connection: PostgresConnection) async throws -> TableReport {
        let (sourceColumns, withoutRowID) = try await source.pool.read { db in
            (Set(try Row.fetchAll(db, sql: "PRAGMA table_info(\(quoted(table)))").map { $0["name"] as String }),
             try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table])?
                .uppercased().contains("WITHOUT ROWID") ?? false)
        }
        var report = TableReport(table: table, sourceRows: 0, targetRows: 0, sourceChecksum: 0, targetChecksum: 0)
        // A table the SQLite file does not have (none today) stays empty.
        guard !sourceColumns.isEmpty else { return report }
        // Columns only PostgreSQL has are generated there (string_points' seq).
        let columns = targetColumns.filter { sourceColumns.contains($0.name) }
        for column in targetColumns where !sourceColumns.contains(column.name) && !column.identity {
            throw Failure(description: "\(table).\(column.name) has no counterpart in the SQLite database")
        }
        let list = columns.map { quoted($0.name) }.joined(separator: ", ")
        // Pages by rowid (by the key where there is none), in write order.
        let key = withoutRowID ? quoted(columns.first?.name ?? "id") : "rowid"
        var last: DatabaseValue = .null
        while true {
            let after = last
            let rows = try await source.pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT \(key) AS migration_key, \(list) FROM \(quoted(table))
                    \(after.isNull ? "" : "WHERE \(key) > ?") ORDER BY \(key) LIMIT \(rowsPerStatement)
                    """, arguments: after.isNull ? [] : [after])
            }
            guard let lastRow = rows.last else { break }
            last = lastRow["migration_key"]
            var bindings = PostgresBindings(capacity: rows.count * columns.count)
            var placeholders: [String] = []
            for row in rows {
                let values = try columns.map { column in
                    try Value(row[column.name] as DatabaseValue, as: column.type, at: "\(table).\(column.name)")
                }
                var slots: [String] = []
                for value in values {
                    value.bind(into: &bindings)
                    slots.append("$\(bindings.count)")
                }
                placeholders.append("(\(slots.joined(separator: ", ")))")
                report.sourceChecksum &+= checksum(row: values)
            }
            if let column = PostgresPartitions.columns[table] {
                try await target.ensurePartitions(table, covering: rows.compactMap { $0[column] as Int64? }, connection)
            }
            let overriding = columns.contains(where: \.identity) ? "OVERRIDING SYSTEM VALUE" : ""
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO \(quoted(table)) (\(list)) \(overriding) VALUES \(placeholders.joined(separator: ", "))
                """, binds: bindings))
        }
        // Counted apart from the pages: a page the loop missed would show.
        report.sourceRows = try await source.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(quoted(table))") ?? 0 }
        // Ids handed out from here on follow the moved ones.
        for column in columns where column.identity {
            try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT setval(pg_get_serial_sequence('\(table)', '\(column.name)'), COALESCE(MAX(\(quoted(column.name))), 0) + 1, false)
                FROM \(quoted(table))
                """))
        }
        // Read back and checked: what PostgreSQL stored, not what was sent.
        let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(list) FROM \(quoted(table))"))
        for try await row in rows {
            let cells = Array(row)
            var values: [Value] = []
            for (cell, column) in zip(cells, columns) { values.append(try Value(cell, as: column.type)) }
            report.targetRows += 1
            report.targetChecksum &+= checksum(row: values)
        }
        return report
    }

    /// One value as both sides compare it: typed as the PostgreSQL column.
    enum Value {
        case null
        case integer(Int64)
        case real(Double)
        case boolean(Bool)
        case text(String)
        case bytes([UInt8])

        init(_ value: DatabaseValue, as type: String, at place: String) throws {
            switch (value.storage, type) {
            case (.null, _): self = .null
            case (.int64(let number), "bigint"), (.int64(let number), "integer"), (.int64(let number), "smallint"): self = .integer(number)
            case (.int64(let number), "double precision"): self = .real(Double(number))
            case (.double(let number), "double precision"): self = .real(number)
            case (.int64(let number), "boolean"): self = .boolean(number != 0)
            case (.string(let text), "text"): self = .text(text)
            case (.blob(let data), "bytea"): self = .bytes([UInt8](data))
            default: throw Failure(description: "\(place): \(value) does not fit PostgreSQL's \(type)")
            }
        }

        init(_ cell: PostgresCell, as type: String) throws {
            if cell.bytes == nil {
                self = .null
                return
            }
            switch type {
            case "bigint": self = .integer(try cell.decode(Int64.self))
            case "integer": self = .integer(Int64(try cell.decode(Int32.self)))
            case "smallint": self = .integer(Int64(try cell.decode(Int16.self)))
            case "double precision": self = .real(try cell.decode(Double.self))
            case "boolean": self = .boolean(try cell.decode(Bool.self))
            case "text": self = .text(try cell.decode(String.self))
            case "bytea":
                var buffer = try cell.decode(ByteBuffer.self)
                self = .bytes(buffer.readBytes(length: buffer.readableBytes) ?? [])
            default: throw Failure(description: "\(cell.columnName): PostgreSQL's \(type) is not one the move knows")
            }
        }

        func bind(into bindings: inout PostgresBindings) {
            switch self {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            case .boolean(let flag): bindings.append(flag)
            case .text(let text): bindings.append(text)
            case .bytes(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }

        /// Its bytes for the checksum, tagged so that no two kinds collide.
        var canonical: [UInt8] {
            switch self {
            case .null: [0]
            case .integer(let number): [1] + withUnsafeBytes(of: number.littleEndian, Array.init)
            case .real(let number): [2] + withUnsafeBytes(of: number.bitPattern.littleEndian, Array.init)
            case .boolean(let flag): [3, flag ? 1 : 0]
            case .text(let text): [4] + withUnsafeBytes(of: UInt64(text.utf8.count).littleEndian, Array.init) + Array(text.utf8)
            case .bytes(let bytes): [5] + withUnsafeBytes(of: UInt64(bytes.count).littleEndian, Array.init) + bytes
            }
        }
    }

    /// FNV-1a of the row's values; rows are added up, so the order rows are
    /// read in does not matter.
    static func checksum(row: [Value]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in row {
            for byte in value.canonical {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
        }
        return hash
    }

    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
