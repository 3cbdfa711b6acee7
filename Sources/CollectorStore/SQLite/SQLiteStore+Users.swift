import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    public func createUser(_ user: UserRecord) async throws {
        try await write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM console_users WHERE name = ?", arguments: [user.name]) == nil else {
                throw StoreError.conflict("a user named '\(user.name)' exists already")
            }
            try db.execute(sql: "INSERT INTO console_users (name, role, password_hash, created, password_changed) VALUES (?, ?, ?, ?, ?)",
                           arguments: [user.name, user.role.rawValue, user.passwordHash, user.created.unixNanos, user.passwordChanged.unixNanos])
        }
    }

    public func users() async throws -> [UserRecord] {
        let now = Date().unixNanos
        return try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.*, (SELECT COUNT(*) FROM console_sessions s WHERE s.user_name = u.name AND s.expires > ?) AS sessions
                FROM console_users u ORDER BY u.name
                """, arguments: [now]).map(Self.user(from:))
        }
    }

    public func user(name: String) async throws -> UserRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT *, 0 AS sessions FROM console_users WHERE name = ?", arguments: [name]).map(Self.user(from:))
        }
    }

    public func setPassword(name: String, hash: String, at time: Date) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE console_users SET password_hash = ?, password_changed = ? WHERE name = ?",
                           arguments: [hash, time.unixNanos, name])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "DELETE FROM console_sessions WHERE user_name = ?", arguments: [name])
            return true
        }
    }

    public func deleteUser(name: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM console_sessions WHERE user_name = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM console_users WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    public func insertSession(_ session: SessionRecord) async throws {
        try await write { db in
            try db.execute(sql: "INSERT INTO console_sessions (id_hash, user_name, csrf_token, created, expires) VALUES (?, ?, ?, ?, ?)",
                           arguments: [session.idHash, session.userName, session.csrfToken, session.created.unixNanos, session.expires.unixNanos])
        }
    }

    public func session(idHash: String, at time: Date) async throws -> (SessionRecord, UserRecord)? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.id_hash, s.user_name, s.csrf_token, s.created AS session_created, s.expires,
                       u.name, u.role, u.password_hash, u.created, u.password_changed, 0 AS sessions
                FROM console_sessions s JOIN console_users u ON u.name = s.user_name
                WHERE s.id_hash = ? AND s.expires > ?
                """, arguments: [idHash, time.unixNanos])
            else { return nil }
            let session = SessionRecord(idHash: row["id_hash"], userName: row["user_name"], csrfToken: row["csrf_token"],
                                        created: Date(unixNanos: row["session_created"]), expires: Date(unixNanos: row["expires"]))
            return (session, Self.user(from: row))
        }
    }

    public func deleteSession(idHash: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM console_sessions WHERE id_hash = ?", arguments: [idHash])
        }
    }

    public func deleteExpiredSessions(before time: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM console_sessions WHERE expires <= ?", arguments: [time.unixNanos])
            return db.changesCount
        }
    }

    static func user(from row: Row) -> UserRecord {
        UserRecord(name: row["name"], role: UserRole(rawValue: row["role"]) ?? .viewer, passwordHash: row["password_hash"],
                   created: Date(unixNanos: row["created"]), passwordChanged: Date(unixNanos: row["password_changed"]),
                   sessions: row["sessions"] ?? 0)
    }
}
