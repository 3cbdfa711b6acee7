import CollectorModel
import Foundation
import PostgresNIO

extension PostgresStore: TokenStore {
    public func insertToken(_ record: TokenRecord) async throws {
        try await transaction { connection in
            if let site = record.site { try await Self.ensureSite(site, at: record.created, connection) }
            try await connection.query("""
                INSERT INTO tokens (id, name, secret_hash, scopes, site, created, expires)
                VALUES (\(record.id), \(record.name), \(record.secretHash), \(ScopeText.encode(record.scopes)), \(record.site),
                        \(record.created.unixNanos), \(record.expires?.unixNanos))
                """)
        }
    }

    public func token(id: String) async throws -> TokenRecord? {
        try await query("SELECT \(unescaped: Self.tokenColumns) FROM tokens WHERE id = \(id)").firstRow(Self.token(from:))
    }

    public func tokens() async throws -> [TokenRecord] {
        try await query("SELECT \(unescaped: Self.tokenColumns) FROM tokens ORDER BY created, id").all(Self.token(from:))
    }

    public func revokeToken(idOrName: String, at time: Date) async throws -> TokenRecord? {
        try await transaction { connection in
            // By id first: a token named like another's id is still found by its own id.
            try await connection.query("""
                UPDATE tokens SET revoked = COALESCE(revoked, \(time.unixNanos))
                WHERE id = (SELECT id FROM tokens WHERE id = \(idOrName) OR name = \(idOrName) ORDER BY id = \(idOrName) DESC, created LIMIT 1)
                RETURNING \(unescaped: Self.tokenColumns)
                """).firstRow(Self.token(from:))
        }
    }

    public func noteTokenUsed(id: String, at time: Date) async throws {
        try await query("UPDATE tokens SET last_used = \(time.unixNanos) WHERE id = \(id)")
    }

    public func insertOAuthClient(_ record: OAuthClientRecord) async throws {
        try await transaction { connection in
            try await Self.ensureSite(record.site, at: record.created, connection)
            try await connection.query("""
                INSERT INTO oauth_clients (id, name, secret_hash, scopes, site, created)
                VALUES (\(record.id), \(record.name), \(record.secretHash), \(ScopeText.encode(record.scopes)), \(record.site),
                        \(record.created.unixNanos))
                """)
        }
    }

    public func oauthClient(id: String) async throws -> OAuthClientRecord? {
        try await query("SELECT id, name, secret_hash, scopes, site, created, revoked FROM oauth_clients WHERE id = \(id)").firstRow { row in
            OAuthClientRecord(id: try row["id"], name: try row["name"], secretHash: try row["secret_hash"],
                              scopes: ScopeText.decode(try row["scopes"]), site: try row["site"],
                              created: Date(unixNanos: try row["created"]),
                              revoked: try row["revoked", as: Int64?.self].map(Date.init(unixNanos:)))
        }
    }

    static func ensureSite(_ site: String, at time: Date, _ connection: PostgresConnection) async throws {
        try await connection.query("INSERT INTO sites (name, created) VALUES (\(site), \(time.unixNanos)) ON CONFLICT (name) DO NOTHING")
    }

    static let tokenColumns = "id, name, secret_hash, scopes, site, created, revoked, last_used, expires"

    static func token(from row: PostgresRandomAccessRow) throws -> TokenRecord {
        TokenRecord(
            id: try row["id"], name: try row["name"], secretHash: try row["secret_hash"],
            scopes: ScopeText.decode(try row["scopes"]),
            site: try row["site"],
            created: Date(unixNanos: try row["created"]),
            revoked: try row["revoked", as: Int64?.self].map(Date.init(unixNanos:)),
            lastUsed: try row["last_used", as: Int64?.self].map(Date.init(unixNanos:)),
            expires: try row["expires", as: Int64?.self].map(Date.init(unixNanos:)))
    }
}
