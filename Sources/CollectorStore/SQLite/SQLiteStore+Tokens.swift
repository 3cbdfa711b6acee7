import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    public func insertToken(_ record: TokenRecord) async throws {
        try await write { db in
            if let site = record.site {
                try db.execute(sql: "INSERT INTO sites (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                               arguments: [site, record.created.unixNanos])
            }
            try db.execute(
                sql: "INSERT INTO tokens (id, name, secret_hash, scopes, site, created, expires) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [record.id, record.name, record.secretHash, ScopeText.encode(record.scopes), record.site,
                            record.created.unixNanos, record.expires?.unixNanos])
        }
    }

    public func token(id: String) async throws -> TokenRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE id = ?", arguments: [id]).map(Self.token(from:))
        }
    }

    public func tokens() async throws -> [TokenRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tokens ORDER BY created, id").map(Self.token(from:))
        }
    }

    public func revokeToken(idOrName: String, at time: Date) async throws -> TokenRecord? {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1",
                                             arguments: [idOrName, idOrName, idOrName])
            else { return nil }
            let id: String = row["id"]
            try db.execute(sql: "UPDATE tokens SET revoked = COALESCE(revoked, ?) WHERE id = ?", arguments: [time.unixNanos, id])
            return try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE id = ?", arguments: [id]).map(Self.token(from:))
        }
    }

    public func noteTokenUsed(id: String, at time: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE tokens SET last_used = ? WHERE id = ?", arguments: [time.unixNanos, id])
        }
    }

    static func token(from row: Row) -> TokenRecord {
        TokenRecord(
            id: row["id"], name: row["name"], secretHash: row["secret_hash"],
            scopes: ScopeText.decode(row["scopes"]),
            site: row["site"],
            created: Date(unixNanos: row["created"]),
            revoked: (row["revoked"] as Int64?).map(Date.init(unixNanos:)),
            lastUsed: (row["last_used"] as Int64?).map(Date.init(unixNanos:)),
            expires: (row["expires"] as Int64?).map(Date.init(unixNanos:)))
    }

    public func insertOAuthClient(_ record: OAuthClientRecord) async throws {
        try await write { db in
            try db.execute(sql: "INSERT INTO sites (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                           arguments: [record.site, record.created.unixNanos])
            try db.execute(sql: "INSERT INTO oauth_clients (id, name, secret_hash, scopes, site, created) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [record.id, record.name, record.secretHash, ScopeText.encode(record.scopes), record.site, record.created.unixNanos])
        }
    }

    public func oauthClient(id: String) async throws -> OAuthClientRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM oauth_clients WHERE id = ?", arguments: [id]).map { row in
                OAuthClientRecord(id: row["id"], name: row["name"], secretHash: row["secret_hash"],
                                  scopes: ScopeText.decode(row["scopes"]), site: row["site"],
                                  created: Date(unixNanos: row["created"]),
                                  revoked: (row["revoked"] as Int64?).map(Date.init(unixNanos:)))
            }
        }
    }
}

/// A token's scopes as both backends store them: names, sorted, separated
/// by spaces.
enum ScopeText {
    static func encode(_ scopes: Set<Scope>) -> String {
        scopes.sorted().map(\.rawValue).joined(separator: " ")
    }

    static func decode(_ text: String) -> Set<Scope> {
        Set(text.split(separator: " ").compactMap { Scope(rawValue: String($0)) })
    }
}
