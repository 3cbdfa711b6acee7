import PostgresNIO

extension PostgresStore: LeaseStore {
    /// One statement, so two collectors racing for a free lease cannot both
    /// win: the row is taken when it is new, already this holder's, or run
    /// out. Times are the database's clock, so the collectors' clocks may
    /// disagree.
    public func acquireLease(_ name: String, holder: String, for duration: Duration) async throws -> Bool {
        let nanos = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        return try await query("""
            INSERT INTO leases (name, holder, expires) VALUES (\(name), \(holder), \(unescaped: Self.databaseNow) + \(nanos))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
            WHERE leases.holder = excluded.holder OR leases.expires <= \(unescaped: Self.databaseNow)
            RETURNING holder
            """).isEmpty == false
    }

    public func releaseLease(_ name: String, holder: String) async throws {
        try await query("DELETE FROM leases WHERE name = \(name) AND holder = \(holder)")
    }

    public var leaseHolder: String { holder }

    /// The leases held now, by name, for `/metrics`.
    public func heldLeases() async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try await query("""
            SELECT name, holder FROM leases WHERE expires > \(unescaped: Self.databaseNow)
            """).all { row in (try row["name", as: String.self], try row["holder", as: String.self]) })
    }

    /// Nanoseconds since the epoch, by the database's clock at the statement.
    static let databaseNow = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000000)::BIGINT"
}
