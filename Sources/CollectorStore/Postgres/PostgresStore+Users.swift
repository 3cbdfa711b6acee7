import CollectorModel
import Foundation
import PostgresNIO

extension PostgresStore: UserStore {
    public func createUser(_ user: UserRecord) async throws {
        // ON CONFLICT, not a read first: two collectors creating the same
        // name at once must leave one user and one conflict.
        let created = try await query("""
            INSERT INTO console_users (name, role, password_hash, created, password_changed)
            VALUES (\(user.name), \(user.role.rawValue), \(user.passwordHash), \(user.created.unixNanos), \(user.passwordChanged.unixNanos))
            ON CONFLICT (name) DO NOTHING RETURNING name
            """).firstRow { _ in true }
        guard created == true else { throw StoreError.conflict("a user named '\(user.name)' exists already") }
    }

    public func users() async throws -> [UserRecord] {
        try await query("""
            SELECT u.name, u.role, u.password_hash, u.created, u.password_changed,
                   (SELECT COUNT(*) FROM console_sessions s WHERE s.user_name = u.name AND s.expires > \(Date().unixNanos)) AS sessions
            FROM console_users u ORDER BY u.name
            """).all(Self.user(from:))
    }

    public func user(name: String) async throws -> UserRecord? {
        try await query("""
            SELECT name, role, password_hash, created, password_changed, 0::BIGINT AS sessions FROM console_users WHERE name = \(name)
            """).firstRow(Self.user(from:))
    }

    public func setPassword(name: String, hash: String, at time: Date) async throws -> Bool {
        try await transaction { connection in
            let changed = try await connection.query("""
                UPDATE console_users SET password_hash = \(hash), password_changed = \(time.unixNanos) WHERE name = \(name) RETURNING name
                """).firstRow { _ in true } ?? false
            guard changed else { return false }
            try await connection.query("DELETE FROM console_sessions WHERE user_name = \(name)")
            return true
        }
    }

    public func deleteUser(name: String) async throws -> Bool {
        // Its sessions go with it (ON DELETE CASCADE).
        try await query("DELETE FROM console_users WHERE name = \(name) RETURNING name").firstRow { _ in true } ?? false
    }

    public func insertSession(_ session: SessionRecord) async throws {
        try await query("""
            INSERT INTO console_sessions (id_hash, user_name, csrf_token, created, expires)
            VALUES (\(session.idHash), \(session.userName), \(session.csrfToken), \(session.created.unixNanos), \(session.expires.unixNanos))
            """)
    }

    public func session(idHash: String, at time: Date) async throws -> (SessionRecord, UserRecord)? {
        try await query("""
            SELECT s.id_hash, s.user_name, s.csrf_token, s.created AS session_created, s.expires,
                   u.name, u.role, u.password_hash, u.created, u.password_changed, 0::BIGINT AS sessions
            FROM console_sessions s JOIN console_users u ON u.name = s.user_name
            WHERE s.id_hash = \(idHash) AND s.expires > \(time.unixNanos)
            """).firstRow { row in
            let session = SessionRecord(idHash: try row["id_hash"], userName: try row["user_name"], csrfToken: try row["csrf_token"],
                                        created: Date(unixNanos: try row["session_created"]), expires: Date(unixNanos: try row["expires"]))
            return (session, try Self.user(from: row))
        }
    }

    public func deleteSession(idHash: String) async throws {
        try await query("DELETE FROM console_sessions WHERE id_hash = \(idHash)")
    }

    public func deleteExpiredSessions(before time: Date) async throws -> Int {
        try await query("DELETE FROM console_sessions WHERE expires <= \(time.unixNanos) RETURNING id_hash").all { _ in () }.count
    }

    static func user(from row: PostgresRandomAccessRow) throws -> UserRecord {
        UserRecord(name: try row["name"], role: UserRole(rawValue: try row["role"]) ?? .viewer, passwordHash: try row["password_hash"],
                   created: Date(unixNanos: try row["created"]), passwordChanged: Date(unixNanos: try row["password_changed"]),
                   sessions: Int(try row["sessions", as: Int64.self]))
    }
}
