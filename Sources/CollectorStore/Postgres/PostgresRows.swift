import Logging
import PostgresNIO

/// Rows read by column name, as the SQLite side reads GRDB's rows: a
/// column's type is the one it is decoded as.
extension PostgresRowSequence {
    func all<T>(_ transform: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        var values: [T] = []
        for try await row in self { values.append(try transform(row.makeRandomAccess())) }
        return values
    }

    func firstRow<T>(_ transform: (PostgresRandomAccessRow) throws -> T) async throws -> T? {
        var found: T?
        // The whole answer is read, so the connection is free for the next statement.
        for try await row in self where found == nil { found = try transform(row.makeRandomAccess()) }
        return found
    }
}

/// The same for rows already read (`PostgresStore.query`).
extension Array where Element == PostgresRow {
    func all<T>(_ transform: (PostgresRandomAccessRow) throws -> T) throws -> [T] {
        try map { try transform($0.makeRandomAccess()) }
    }

    func firstRow<T>(_ transform: (PostgresRandomAccessRow) throws -> T) throws -> T? {
        try first.map { try transform($0.makeRandomAccess()) }
    }
}

extension PostgresRandomAccessRow {
    subscript<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) -> T {
        get throws { try self[column].decode(T.self) }
    }
}

extension PostgresConnection {
    /// Statements inside the store's transactions log nothing of their own:
    /// failures reach the caller as errors, which the collector logs once.
    @discardableResult
    func query(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try await self.query(query, logger: Self.quiet, file: file, line: line)
    }

    static let quiet = Logger(label: "collector.store.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
}
