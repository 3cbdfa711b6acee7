import CollectorModel
import Foundation
import PostgresNIO

/// Pools as on SQLite. Whatever reads a pool and then writes it holds the
/// pool's row: changes from two collectors apply one after the other, and a
/// commit storing a pool's sweeps (`FOR SHARE`) finishes before the pool is
/// changed, emptied or deleted, or finds it so.
extension PostgresStore: PoolStore {
    public func createPool(_ pool: Pool) async throws -> Pool {
        let pool = try pool.validated()
        return try await transaction { connection in
            // ON CONFLICT, not a read first: two collectors creating one name
            // at once leave one pool and one conflict.
            guard let id = try await connection.query("""
                INSERT INTO pools (name, room, metadata_json, watts, standby_watts, agent_id, interval_ms, created)
                VALUES (\(pool.name), \(pool.room), \(PoolRecords.json(pool.metadata)), \(pool.watts), \(pool.standbyWatts),
                        \(pool.agentID), \(PoolRecords.milliseconds(pool.interval)), \(Date().unixNanos))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """).firstRow({ row in try row["id", as: Int64.self] })
            else { throw StoreError.conflict("a pool named '\(pool.name)' exists already") }
            try await Self.insert(computers: pool.computers, poolID: id, connection)
            guard let stored = try await Self.pool(id: id, connection) else { throw StoreError.unavailable("pool row vanished") }
            return stored
        }
    }

    public func updatePool(name: String, _ change: PoolChange) async throws -> Pool? {
        try await transaction { connection in
            guard let id = try await Self.lockPool(name: name, connection), let existing = try await Self.pool(id: id, connection) else {
                return nil
            }
            let changed = try change.applied(to: existing)
            do {
                try await connection.query("""
                    UPDATE pools SET name = \(changed.name), room = \(changed.room), metadata_json = \(PoolRecords.json(changed.metadata)),
                        watts = \(changed.watts), standby_watts = \(changed.standbyWatts), agent_id = \(changed.agentID),
                        interval_ms = \(PoolRecords.milliseconds(changed.interval))
                    WHERE id = \(id)
                    """)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == Self.uniqueViolation {
                // The unique index, not a read first: it also sees a pool
                // another collector is creating under that name.
                throw StoreError.conflict("a pool named '\(changed.name)' exists already")
            }
            return try await Self.pool(id: id, connection)
        }
    }

    public func deletePool(name: String) async throws -> Bool {
        try await transaction { connection in
            // The pool's row first, then what refers to it: a commit storing
            // its sweeps has finished by then, so none are left behind. Its
            // computers go with it (ON DELETE CASCADE).
            guard let id = try await connection.query("DELETE FROM pools WHERE name = \(name) RETURNING id")
                .firstRow({ row in try row["id", as: Int64.self] })
            else { return false }
            try await connection.query("DELETE FROM reachability WHERE pool_id = \(id)")
            try await connection.query("DELETE FROM computer_state WHERE pool_id = \(id)")
            return true
        }
    }

    public func addComputers(pool name: String, _ addresses: [String]) async throws -> Pool? {
        try await transaction { connection in
            guard let id = try await Self.lockPool(name: name, connection) else { return nil }
            try await Self.insert(computers: addresses, poolID: id, connection)
            return try await Self.pool(id: id, connection)
        }
    }

    public func removeComputers(pool name: String, _ addresses: [String]) async throws -> Pool? {
        try await transaction { connection in
            guard let id = try await Self.lockPool(name: name, connection), let pool = try await Self.pool(id: id, connection) else {
                return nil
            }
            try PoolRecords.requirePresent(addresses, in: Set(pool.computers), pool: name)
            try await connection.query("DELETE FROM computers WHERE pool_id = \(id) AND address = ANY(\(addresses))")
            try await connection.query("DELETE FROM computer_state WHERE pool_id = \(id) AND address = ANY(\(addresses))")
            return try await Self.pool(id: id, connection)
        }
    }

    public func pools() async throws -> [Pool] {
        try await query(Self.selectPools()).all(Self.pool(from:))
    }

    public func pools(agentID: String) async throws -> [Pool] {
        try await query(Self.selectPools(agentID: agentID)).all(Self.pool(from:))
    }

    public func pool(name: String) async throws -> Pool? {
        try await query(Self.selectPools(name: name)).firstRow(Self.pool(from:))
    }

    public func computerStatus(poolID: Int64) async throws -> [ComputerStatus] {
        try await query("""
            SELECT c.address, s.up, s.last_sweep, s.last_up, s.rtt_ms, s.reason
            FROM computers c LEFT JOIN computer_state s ON s.pool_id = c.pool_id AND s.address = c.address
            WHERE c.pool_id = \(poolID) ORDER BY c.position
            """).all { row in
            ComputerStatus(address: try row["address"], up: try row["up", as: Bool?.self] ?? false,
                           lastSweep: try row["last_sweep", as: Int64?.self].map(Date.init(unixNanos:)),
                           lastUp: try row["last_up", as: Int64?.self].map(Date.init(unixNanos:)),
                           lastRTTMilliseconds: try row["rtt_ms", as: Double?.self] ?? 0, reason: try row["reason"])
        }
    }

    public func computersUp() async throws -> [Int64: Int] {
        let rows = try await query("""
            SELECT c.pool_id, COUNT(*) AS up FROM computers c JOIN computer_state s ON s.pool_id = c.pool_id AND s.address = c.address
            WHERE s.up GROUP BY c.pool_id
            """).all { row in (try row["pool_id", as: Int64.self], Int(try row["up", as: Int64.self])) }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    public func reachability(poolID: Int64, from: Date, to: Date) async throws -> [Reachability] {
        try await query("""
            SELECT address, time, up, rtt_ms, reason FROM reachability
            WHERE pool_id = \(poolID) AND time >= \(from.unixNanos) AND time < \(to.unixNanos) ORDER BY address, time
            """).all { row in try Self.reachability(row, poolID: poolID) }
    }

    public func reachability(poolID: Int64, lastBefore before: Date, firstFrom after: Date) async throws -> [Reachability] {
        // One statement for every computer (SQLite asks twice per computer),
        // in SQLite's order: by address, the last before ahead of the first from.
        try await query("""
            SELECT r.address, r.time, r.up, r.rtt_ms, r.reason
            FROM computers c CROSS JOIN LATERAL (
                (SELECT address, time, up, rtt_ms, reason, 0 AS edge FROM reachability
                 WHERE pool_id = c.pool_id AND address = c.address AND time < \(before.unixNanos) ORDER BY time DESC LIMIT 1)
                UNION ALL
                (SELECT address, time, up, rtt_ms, reason, 1 AS edge FROM reachability
                 WHERE pool_id = c.pool_id AND address = c.address AND time >= \(after.unixNanos) ORDER BY time LIMIT 1)
            ) r
            WHERE c.pool_id = \(poolID) ORDER BY c.address, r.edge
            """).all { row in try Self.reachability(row, poolID: poolID) }
    }

    /// Sweep results from an agent's batch, in the ingest commit's
    /// transaction: kept only for pools the agent sweeps now (a pool deleted
    /// or handed to another agent meanwhile takes nothing more from it),
    /// plus each pool's online count as a series.
    func insert(reachability results: [Reachability], agentID: String, _ connection: PostgresConnection) async throws {
        guard !results.isEmpty else { return }
        // FOR SHARE: deleting, emptying or handing over one of these pools
        // waits for this commit, or this commit waits and finds it so.
        let owned = Set(try await connection.query("SELECT id FROM pools WHERE agent_id = \(agentID) ORDER BY id FOR SHARE")
            .all { row in try row["id", as: Int64.self] })
        let kept = results.filter { owned.contains($0.poolID) }
        guard !kept.isEmpty else { return }
        for round in Self.rounds(kept) {
            let pools = round.map(\.poolID), addresses = round.map(\.address), times = round.map(\.time.unixNanos)
            let ups = round.map(\.up), rtts = round.map(\.rttMilliseconds)
            // An array holds no NULL here: '' stands for no reason (no reason's name is empty).
            let reasons = round.map { $0.reason?.rawValue ?? "" }
            try await connection.query("""
                WITH results AS (
                    SELECT * FROM unnest(\(pools)::BIGINT[], \(addresses)::TEXT[], \(times)::BIGINT[], \(ups)::BOOLEAN[],
                                         \(rtts)::DOUBLE PRECISION[], \(reasons)::TEXT[]) AS r(pool_id, address, time, up, rtt_ms, reason)
                ), logged AS (
                    INSERT INTO reachability (pool_id, address, time, up, rtt_ms, reason)
                    SELECT pool_id, address, time, up, rtt_ms, NULLIF(reason, '') FROM results
                )
                INSERT INTO computer_state AS s (pool_id, address, last_sweep, up, rtt_ms, reason, last_up)
                SELECT pool_id, address, time, up, rtt_ms, NULLIF(reason, ''), CASE WHEN up THEN time END FROM results
                ON CONFLICT (pool_id, address) DO UPDATE SET
                    last_sweep = excluded.last_sweep, up = excluded.up, rtt_ms = excluded.rtt_ms, reason = excluded.reason,
                    last_up = COALESCE(excluded.last_up, s.last_up)
                WHERE excluded.last_sweep >= s.last_sweep
                """)
        }
        try await appendLog(IngestLog.encode(PoolRecords.onlinePoints(kept)), connection)
    }

    /// One upsert may change a row only once, so the results go in rounds
    /// that each name a computer at most once, every computer's results in
    /// the batch's order: the state ends as SQLite's one-by-one upserts leave it.
    static func rounds(_ results: [Reachability]) -> [[Reachability]] {
        struct Computer: Hashable {
            var pool: Int64
            var address: String
        }
        var seen: [Computer: Int] = [:]
        var rounds: [[Reachability]] = []
        for result in results {
            let computer = Computer(pool: result.poolID, address: result.address)
            let round = seen[computer, default: 0]
            seen[computer] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(result)
        }
        return rounds
    }

    /// Positions as SQLite numbers them: one per address given, after the
    /// pool's last, an address the pool holds already skipped.
    static func insert(computers addresses: [String], poolID: Int64, _ connection: PostgresConnection) async throws {
        let (existing, last) = try await connection.query("""
            SELECT COUNT(*) AS existing, COALESCE(MAX(position), -1) AS last FROM computers WHERE pool_id = \(poolID)
            """).firstRow { row in (try row["existing", as: Int64.self], try row["last", as: Int64.self]) } ?? (0, -1)
        // Only an address's first mention, so the insert below meets each once.
        var seen: Set<String> = []
        var kept: [String] = []
        var positions: [Int64] = []
        for (offset, address) in addresses.enumerated() where seen.insert(address).inserted {
            kept.append(address)
            positions.append(last + 1 + Int64(offset))
        }
        let added = try await connection.query("""
            WITH added AS (
                INSERT INTO computers (pool_id, address, position)
                SELECT \(poolID), address, position FROM unnest(\(kept)::TEXT[], \(positions)::BIGINT[]) AS a(address, position)
                ON CONFLICT DO NOTHING RETURNING 1
            )
            SELECT COUNT(*) AS added FROM added
            """).firstRow { row in try row["added", as: Int64.self] } ?? 0
        try PoolRecords.requireRoom(existing: Int(existing), added: Int(added))
    }

    /// The pool's id, its row locked for the rest of the transaction.
    static func lockPool(name: String, _ connection: PostgresConnection) async throws -> Int64? {
        try await connection.query("SELECT id FROM pools WHERE name = \(name) FOR UPDATE").firstRow { row in try row["id", as: Int64.self] }
    }

    static func pool(id: Int64, _ connection: PostgresConnection) async throws -> Pool? {
        try await connection.query(selectPools(id: id)).firstRow(pool(from:))
    }

    /// Pools in id order, each with its computers from the same statement
    /// (one snapshot, one round trip for the whole list); a nil filter
    /// matches every pool.
    static func selectPools(id: Int64? = nil, name: String? = nil, agentID: String? = nil) -> PostgresQuery {
        """
        SELECT p.id, p.name, p.room, p.metadata_json, p.watts, p.standby_watts, p.agent_id, p.interval_ms,
               ARRAY(SELECT c.address FROM computers c WHERE c.pool_id = p.id ORDER BY c.position) AS computers
        FROM pools p
        WHERE (\(id)::BIGINT IS NULL OR p.id = \(id)) AND (\(name)::TEXT IS NULL OR p.name = \(name))
          AND (\(agentID)::TEXT IS NULL OR p.agent_id = \(agentID))
        ORDER BY p.id
        """
    }

    static func pool(from row: PostgresRandomAccessRow) throws -> Pool {
        Pool(id: try row["id"], name: try row["name"], room: try row["room"], metadata: PoolRecords.metadata(json: try row["metadata_json"]),
             watts: try row["watts"], standbyWatts: try row["standby_watts"], agentID: try row["agent_id"],
             interval: .milliseconds(try row["interval_ms", as: Int64.self]), computers: try row["computers"])
    }

    static func reachability(_ row: PostgresRandomAccessRow, poolID: Int64) throws -> Reachability {
        Reachability(poolID: poolID, address: try row["address"], time: Date(unixNanos: try row["time"]), up: try row["up"],
                     rttMilliseconds: try row["rtt_ms"], reason: try row["reason", as: String?.self].flatMap(Reachability.Reason.init(rawValue:)))
    }

    /// PostgreSQL's unique_violation.
    static let uniqueViolation = "23505"
}
