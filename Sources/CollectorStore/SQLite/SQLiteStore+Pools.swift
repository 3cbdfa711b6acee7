import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    /// Computers one pool may hold: one sweep's sequence numbers must not wrap.
    public static let maxComputersPerPool = PoolRecords.maxComputers

    public func createPool(_ pool: Pool) async throws -> Pool {
        let pool = try pool.validated()
        return try await write { db in
            guard try Self.poolID(name: pool.name, db: db) == nil else {
                throw StoreError.conflict("a pool named '\(pool.name)' exists already")
            }
            try db.execute(sql: """
                INSERT INTO pools (name, room, metadata_json, watts, standby_watts, agent_id, interval_ms, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                arguments: [pool.name, pool.room, PoolRecords.json(pool.metadata), pool.watts, pool.standbyWatts, pool.agentID,
                            PoolRecords.milliseconds(pool.interval), Date().unixNanos])
            let id = db.lastInsertedRowID
            try Self.insert(computers: pool.computers, poolID: id, db: db)
            guard let stored = try Self.pool(id: id, db: db) else { throw StoreError.unavailable("pool row vanished") }
            return stored
        }
    }

    public func updatePool(name: String, _ change: PoolChange) async throws -> Pool? {
        try await write { db in
            guard let id = try Self.poolID(name: name, db: db), let existing = try Self.pool(id: id, db: db) else { return nil }
            let changed = try change.applied(to: existing)
            if changed.name != existing.name, try Self.poolID(name: changed.name, db: db) != nil {
                throw StoreError.conflict("a pool named '\(changed.name)' exists already")
            }
            try db.execute(sql: """
                UPDATE pools SET name = ?, room = ?, metadata_json = ?, watts = ?, standby_watts = ?, agent_id = ?, interval_ms = ?
                WHERE id = ?
                """,
                arguments: [changed.name, changed.room, PoolRecords.json(changed.metadata), changed.watts, changed.standbyWatts,
                            changed.agentID, PoolRecords.milliseconds(changed.interval), id])
            return try Self.pool(id: id, db: db)
        }
    }

    public func deletePool(name: String) async throws -> Bool {
        try await write { db in
            guard let id = try Self.poolID(name: name, db: db) else { return false }
            for table in ["computers", "reachability", "computer_state"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE pool_id = ?", arguments: [id])
            }
            try db.execute(sql: "DELETE FROM pools WHERE id = ?", arguments: [id])
            return true
        }
    }

    public func addComputers(pool name: String, _ addresses: [String]) async throws -> Pool? {
        try await write { db in
            guard let id = try Self.poolID(name: name, db: db) else { return nil }
            try Self.insert(computers: addresses, poolID: id, db: db)
            return try Self.pool(id: id, db: db)
        }
    }

    public func removeComputers(pool name: String, _ addresses: [String]) async throws -> Pool? {
        try await write { db in
            guard let id = try Self.poolID(name: name, db: db), let pool = try Self.pool(id: id, db: db) else { return nil }
            try PoolRecords.requirePresent(addresses, in: Set(pool.computers), pool: name)
            for address in addresses {
                try db.execute(sql: "DELETE FROM computers WHERE pool_id = ? AND address = ?", arguments: [id, address])
                try db.execute(sql: "DELETE FROM computer_state WHERE pool_id = ? AND address = ?", arguments: [id, address])
            }
            return try Self.pool(id: id, db: db)
        }
    }

    public func pools() async throws -> [Pool] {
        try await pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM pools ORDER BY id").compactMap { try Self.pool(id: $0, db: db) }
        }
    }

    public func pools(agentID: String) async throws -> [Pool] {
        try await pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM pools WHERE agent_id = ? ORDER BY id", arguments: [agentID])
                .compactMap { try Self.pool(id: $0, db: db) }
        }
    }

    public func pool(name: String) async throws -> Pool? {
        try await pool.read { db in
            try Self.poolID(name: name, db: db).flatMap { try Self.pool(id: $0, db: db) }
        }
    }

    public func computerStatus(poolID: Int64) async throws -> [ComputerStatus] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.address, s.up, s.last_sweep, s.last_up, s.rtt_ms, s.reason
                FROM computers c LEFT JOIN computer_state s ON s.pool_id = c.pool_id AND s.address = c.address
                WHERE c.pool_id = ? ORDER BY c.position
                """, arguments: [poolID]).map { row in
                ComputerStatus(address: row["address"], up: row["up"] ?? false,
                               lastSweep: (row["last_sweep"] as Int64?).map(Date.init(unixNanos:)),
                               lastUp: (row["last_up"] as Int64?).map(Date.init(unixNanos:)),
                               lastRTTMilliseconds: row["rtt_ms"] ?? 0, reason: row["reason"])
            }
        }
    }

    public func computersUp() async throws -> [Int64: Int] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.pool_id, COUNT(*) FROM computers c JOIN computer_state s ON s.pool_id = c.pool_id AND s.address = c.address
                WHERE s.up GROUP BY c.pool_id
                """)
            return Dictionary(uniqueKeysWithValues: rows.map { row in (row[0] as Int64, row[1] as Int) })
        }
    }

    public func reachability(poolID: Int64, from: Date, to: Date) async throws -> [Reachability] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT address, time, up, rtt_ms, reason FROM reachability
                WHERE pool_id = ? AND time >= ? AND time < ? ORDER BY address, time
                """, arguments: [poolID, from.unixNanos, to.unixNanos]).map { Self.reachability($0, poolID: poolID) }
        }
    }

    public func reachability(poolID: Int64, lastBefore before: Date, firstFrom after: Date) async throws -> [Reachability] {
        try await pool.read { db in
            let addresses = try String.fetchAll(db, sql: "SELECT address FROM computers WHERE pool_id = ?", arguments: [poolID])
            let last = try db.cachedStatement(sql: """
                SELECT address, time, up, rtt_ms, reason FROM reachability
                WHERE pool_id = ? AND address = ? AND time < ? ORDER BY time DESC LIMIT 1
                """)
            let first = try db.cachedStatement(sql: """
                SELECT address, time, up, rtt_ms, reason FROM reachability
                WHERE pool_id = ? AND address = ? AND time >= ? ORDER BY time LIMIT 1
                """)
            var results: [Reachability] = []
            for address in addresses {
                for (statement, time) in [(last, before), (first, after)] {
                    if let row = try Row.fetchOne(statement, arguments: [poolID, address, time.unixNanos]) {
                        results.append(Self.reachability(row, poolID: poolID))
                    }
                }
            }
            return results
        }
    }

    static func reachability(_ row: Row, poolID: Int64) -> Reachability {
        Reachability(poolID: poolID, address: row["address"], time: Date(unixNanos: row["time"]), up: row["up"],
                     rttMilliseconds: row["rtt_ms"], reason: (row["reason"] as String?).flatMap(Reachability.Reason.init(rawValue:)))
    }

    /// Sweep results from an agent's batch: kept only for pools the agent
    /// sweeps now (a pool deleted or handed to another agent meanwhile takes
    /// nothing more from it), plus each pool's online count as a series.
    func insert(reachability results: [Reachability], agentID: String, db: Database) throws {
        let owned = Set(try Int64.fetchAll(db, sql: "SELECT id FROM pools WHERE agent_id = ?", arguments: [agentID]))
        let insertResult = try db.cachedStatement(sql: "INSERT INTO reachability (pool_id, address, time, up, rtt_ms, reason) VALUES (?, ?, ?, ?, ?, ?)")
        let state = try db.cachedStatement(sql: """
            INSERT INTO computer_state (pool_id, address, last_sweep, up, rtt_ms, reason, last_up) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (pool_id, address) DO UPDATE SET
                last_sweep = excluded.last_sweep, up = excluded.up, rtt_ms = excluded.rtt_ms, reason = excluded.reason,
                last_up = COALESCE(excluded.last_up, computer_state.last_up)
            WHERE excluded.last_sweep >= computer_state.last_sweep
            """)
        let kept = results.filter { owned.contains($0.poolID) }
        for result in kept {
            let time = result.time.unixNanos
            try insertResult.execute(arguments: [result.poolID, result.address, time, result.up, result.rttMilliseconds, result.reason?.rawValue])
            try state.execute(arguments: [result.poolID, result.address, time, result.up, result.rttMilliseconds, result.reason?.rawValue,
                                          result.up ? time : nil])
        }
        let points = PoolRecords.onlinePoints(kept)
        if !points.isEmpty { try insert(points: points, db: db) }
    }

    static func insert(computers addresses: [String], poolID: Int64, db: Database) throws {
        let existing = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM computers WHERE pool_id = ?", arguments: [poolID]) ?? 0
        var position = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(position), -1) FROM computers WHERE pool_id = ?", arguments: [poolID]) ?? -1
        let statement = try db.cachedStatement(sql: "INSERT INTO computers (pool_id, address, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        var added = 0
        for address in addresses {
            position += 1
            try statement.execute(arguments: [poolID, address, position])
            added += db.changesCount
        }
        try PoolRecords.requireRoom(existing: existing, added: added)
    }

    static func poolID(name: String, db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM pools WHERE name = ?", arguments: [name])
    }

    /// Statements cached: the pools list and the console read every pool,
    /// and preparing (with GRDB's authorizer) cost more than the reads.
    static func pool(id: Int64, db: Database) throws -> Pool? {
        let select = try db.cachedStatement(sql: "SELECT * FROM pools WHERE id = ?")
        guard let row = try Row.fetchOne(select, arguments: [id]) else { return nil }
        let metadata = PoolRecords.metadata(json: row["metadata_json"])
        let addresses = try db.cachedStatement(sql: "SELECT address FROM computers WHERE pool_id = ? ORDER BY position")
        let computers = try String.fetchAll(addresses, arguments: [id])
        return Pool(id: id, name: row["name"], room: row["room"], metadata: metadata, watts: row["watts"], standbyWatts: row["standby_watts"],
                    agentID: row["agent_id"], interval: .milliseconds(row["interval_ms"] as Int64), computers: computers)
    }
}
