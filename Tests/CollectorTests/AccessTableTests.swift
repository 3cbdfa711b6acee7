import CollectorModel
import CollectorProto
import CollectorServer
import Foundation
import GRDB
import GRPCCore
import GRPCNIOTransportHTTP2
import Testing

/// The whole surface as one table: every RPC the generated code declares and
/// every token-guarded legacy route, each with every kind of bad credential.
/// Each is refused with its API's status and the database is unchanged,
/// byte for byte; the right token gets through, so the refusals are not an
/// accident of the request.
@Suite("Access table: every RPC and route × every bad credential", .serialized)
struct AccessTableTests {
    /// The credentials every row is tried with.
    struct Credentials {
        var revoked: String
        var expired: String
        var unknown: String
        var allScopes: String
        /// For each scope, a token with every scope but that one.
        var withoutScope: [Scope: String]

        static func make(on collector: RunningCollector) async throws -> Credentials {
            let revoked = try await collector.createToken(scopes: Scope.allCases.map(\.rawValue), site: "lab", name: "revoked")
            _ = try await collector.store.revokeToken(idOrName: "revoked", at: Date())
            // An OAuth access token past its lifetime, as /o/token/ issues them.
            let expired = TokenSecret.generate()
            try await collector.store.insertToken(TokenRecord(
                id: expired.id, name: "oauth:tracker", secretHash: expired.hash, scopes: Set(Scope.allCases), site: "lab",
                created: Date(timeIntervalSinceNow: -40000), expires: Date(timeIntervalSinceNow: -4000)))
            let allScopes = try await collector.createToken(scopes: Scope.allCases.map(\.rawValue), site: "lab", name: "all")
            var withoutScope: [Scope: String] = [:]
            for scope in Scope.allCases {
                withoutScope[scope] = try await collector.createToken(
                    scopes: Scope.allCases.filter { $0 != scope }.map(\.rawValue), site: "lab", name: "without-\(scope.rawValue)")
            }
            return Credentials(revoked: revoked, expired: expired.text, unknown: TokenSecret.generate().text, allScopes: allScopes,
                               withoutScope: withoutScope)
        }

        /// Header values, by case name; nil sends no header.
        func bad() -> [(name: String, header: String?)] {
            [("none", nil), ("malformed", "Bearer not-a-token!"), ("unknown", "Bearer \(unknown)"),
             ("revoked", "Bearer \(revoked)"), ("expired", "Bearer \(expired)")]
        }
    }

    static let services: [[MethodDescriptor]] = [
        Collector_V1_Ingest.Method.descriptors, Collector_V1_Query.Method.descriptors, Collector_V1_Admin.Method.descriptors,
    ]

    @Test(arguments: Backend.allCases)
    func everyRPCRefusesEveryBadCredentialAndChangesNothing(_ backend: Backend) async throws {
        let directory = try TemporaryDirectory("access-grpc")
        let collector = try await backend.startCollector(dataDirectory: directory.path)
        let credentials = try await Credentials.make(on: collector)
        let methods = Self.services.flatMap { $0 }
        #expect(methods.count == 38, "a new RPC: check its scope in MethodScopes, then count it here")

        let before = try DatabaseSnapshot(collector)
        var refusals = 0
        for method in methods {
            guard case .scope(let scope) = MethodScopes.requirement(for: method) else {
                Issue.record("\(method) needs no scope")
                continue
            }
            for (name, header) in credentials.bad() {
                let code = try await collector.rawCall(method, authorization: header)
                #expect(code == .unauthenticated, "\(method) with a \(name) token: \(code.map { "\($0)" } ?? "accepted")")
                refusals += 1
            }
            let code = try await collector.rawCall(method, authorization: "Bearer \(credentials.withoutScope[scope] ?? "")")
            #expect(code == .permissionDenied, "\(method) without '\(scope.rawValue)': \(code.map { "\($0)" } ?? "accepted")")
            refusals += 1
        }
        #expect(refusals == 38 * 6)
        let after = try DatabaseSnapshot(collector)
        #expect(after == before, "changed: \(after.changes(since: before))")

        // The control: the same empty request with the right token passes
        // authentication (what follows may still refuse the empty message).
        for method in methods {
            let code = try await collector.rawCall(method, authorization: "Bearer \(credentials.allScopes)")
            #expect(code != .unauthenticated && code != .permissionDenied, "\(method) refused a token with every scope")
        }
        await collector.stop()
    }

    /// Sites own agents, their instances and pools: another site's ingest
    /// token, with the right scope, can neither claim nor feed nor read them.
    @Test(arguments: Backend.allCases)
    func anotherSitesIngestTokenCannotTouchThisSitesAgent(_ backend: Backend) async throws {
        let directory = try TemporaryDirectory("access-site")
        let collector = try await backend.startCollector(dataDirectory: directory.path)
        let alpha = try await collector.createToken(scopes: ["ingest"], site: "alpha", name: "alpha")
        let beta = try await collector.createToken(scopes: ["ingest"], site: "beta", name: "beta")
        let registered = try await collector.withClient { client in
            var request = Collector_V1_RegisterRequest()
            request.agentID = "alpha-1"
            request.instance = Self.instance(url: "https://alpha.example.org")
            return try await Collector_V1_Ingest.Client(wrapping: client).register(request, metadata: bearer(alpha))
        }
        let before = try DatabaseSnapshot(collector)

        let ingest: @Sendable (GRPCClient<HTTP2ClientTransport.Posix>) -> Collector_V1_Ingest.Client<HTTP2ClientTransport.Posix> = {
            Collector_V1_Ingest.Client(wrapping: $0)
        }
        let attempts: [(String, RPCError.Code, @Sendable (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Void)] = [
            ("Register the same agent id", .permissionDenied, { client in
                var request = Collector_V1_RegisterRequest()
                request.agentID = "alpha-1"
                _ = try await ingest(client).register(request, metadata: bearer(beta))
            }),
            ("Register claiming its instance", .permissionDenied, { client in
                var request = Collector_V1_RegisterRequest()
                request.agentID = "beta-1"
                request.instanceUuid = registered.instanceUuid
                _ = try await ingest(client).register(request, metadata: bearer(beta))
            }),
            ("UpdateInstance", .permissionDenied, { client in
                var request = Collector_V1_UpdateInstanceRequest()
                request.instanceUuid = registered.instanceUuid
                request.instance = Self.instance(url: "https://beta.example.org")
                _ = try await ingest(client).updateInstance(request, metadata: bearer(beta))
            }),
            ("Push as its agent", .failedPrecondition, { client in
                try await ingest(client).push(metadata: bearer(beta)) { writer in
                    var batch = Collector_V1_Batch()
                    batch.agentID = "alpha-1"
                    batch.sequence = registered.highWaterMark + 1
                    var point = Collector_V1_Point()
                    point.namespace = "intruder"
                    point.name = "x"
                    point.timeUnixNano = UInt64(Date().timeIntervalSince1970) * 1_000_000_000
                    batch.points = [point]
                    try await writer.write(batch)
                } onResponse: { response in
                    for try await _ in response.messages {}
                }
            }),
            ("AssignedPools of its agent", .failedPrecondition, { client in
                var request = Collector_V1_AssignedPoolsRequest()
                request.agentID = "alpha-1"
                _ = try await ingest(client).assignedPools(request, metadata: bearer(beta))
            }),
            ("WatchAssignedPools of its agent", .failedPrecondition, { client in
                var request = Collector_V1_AssignedPoolsRequest()
                request.agentID = "alpha-1"
                try await ingest(client).watchAssignedPools(request, metadata: bearer(beta)) { response in
                    for try await _ in response.messages {}
                }
            }),
        ]
        for (name, expected, attempt) in attempts {
            do {
                try await collector.withClient { client in try await attempt(client) }
                Issue.record("\(name) with another site's token was accepted")
            } catch let error as RPCError {
                #expect(error.code == expected, "\(name): \(error)")
            }
        }
        let after = try DatabaseSnapshot(collector)
        #expect(after == before, "changed: \(after.changes(since: before))")
        await collector.stop()
    }

    static func instance(url: String) -> Collector_V1_InstanceInfo {
        var info = Collector_V1_InstanceInfo()
        info.url = url
        info.contact = "Ops"
        info.email = "ops@example.org"
        info.organization = "Example"
        return info
    }

    /// A legacy route guarded by a token, with a request that would change
    /// or reveal something if it were let through.
    struct Route: Sendable, CustomStringConvertible {
        var method: String
        var path: String
        var body: String?
        var scope: Scope
        /// The status for a missing or bad token, and for a missing scope,
        /// in that API's own contract.
        var badToken: Int
        var missingScope: Int?
        var description: String { "\(method) \(path)" }
    }

    static let routes: [Route] = [
        Route(method: "POST", path: "/log/event", body: #"{"namespace":"intruder","name":"x","value":1}"#,
              scope: .ingest, badToken: 403, missingScope: 403),
        Route(method: "POST", path: "/log/event/", body: #"[{"namespace":"intruder","name":"x","value":1}]"#,
              scope: .ingest, badToken: 403, missingScope: 403),
        Route(method: "GET", path: "/log/event/entry_0123456789abcdef0123456789abcdef", scope: .read, badToken: 403, missingScope: 403),
        Route(method: "POST", path: "/api/track/", body: #"{"namespace":"intruder","name":"x","value":1}"#,
              scope: .ingest, badToken: 401, missingScope: 403),
        Route(method: "GET", path: "/api/events/intruder/x?start=0&end=3600", scope: .aggregate, badToken: 401, missingScope: 403),
        Route(method: "GET", path: "/pingerservice/api/pools/", scope: .read, badToken: 401, missingScope: 403),
        Route(method: "GET", path: "/pingerservice/api/chart/pool/1/", scope: .read, badToken: 401, missingScope: 403),
        Route(method: "GET", path: "/pingerservice/api/chart/pool/1/2026/11/23/", scope: .read, badToken: 401, missingScope: 403),
        Route(method: "GET", path: "/pingerservice/api/chart/poolonline/1/", scope: .read, badToken: 401, missingScope: 403),
        Route(method: "GET", path: "/pingerservice/api/csv/pool/?pool_ids=1", scope: .read, badToken: 401, missingScope: 403),
        // InfluxDB's 401 {"error": "authorization failed"}, and its 403 for
        // a user without the privilege. A query needs `read` or `aggregate`,
        // so no token lacks the one scope it needs.
        Route(method: "POST", path: "/write?db=intruder", body: "intruder v=1", scope: .ingest, badToken: 401, missingScope: 403),
        Route(method: "GET", path: "/query?db=stats&q=SHOW+MEASUREMENTS", scope: .read, badToken: 401, missingScope: nil),
        Route(method: "POST", path: "/query?db=stats", body: "q=SHOW+DATABASES", scope: .read, badToken: 401, missingScope: nil),
    ]

    @Test(arguments: Backend.allCases)
    func everyGuardedRouteRefusesEveryBadCredentialAndChangesNothing(_ backend: Backend) async throws {
        let directory = try TemporaryDirectory("access-http")
        let collector = try await backend.startCollector(dataDirectory: directory.path)
        let credentials = try await Credentials.make(on: collector)
        let base = "http://127.0.0.1:\(collector.addresses.httpPort)"
        let before = try DatabaseSnapshot(collector)

        for route in Self.routes {
            for (name, header) in credentials.bad() {
                // The event service's clients send `Token x`; the others `Bearer x`. Both are read everywhere.
                let value = route.badToken == 403 ? header.map { $0.replacingOccurrences(of: "Bearer ", with: "Token ") } : header
                let result = try await http(route.method, base + route.path, headers: value.map { ["Authorization": $0] } ?? [:],
                                            body: route.body)
                #expect(result.status == route.badToken, "\(route) with a \(name) token: \(result.status) \(result.body)")
            }
            guard let missingScope = route.missingScope else { continue }
            let result = try await http(route.method, base + route.path,
                                        headers: ["Authorization": "Bearer \(credentials.withoutScope[route.scope] ?? "")"], body: route.body)
            #expect(result.status == missingScope, "\(route) without '\(route.scope.rawValue)': \(result.status) \(result.body)")
        }
        // OAuth client credentials: an unknown client and a wrong secret get no token.
        let client = try await collector.withClient { client in
            var request = Collector_V1_CreateOAuthClientRequest()
            request.name = "tracker"
            request.scopes = ["write"]
            request.site = "lab"
            return try await Collector_V1_Admin.Client(wrapping: client).createOAuthClient(request, metadata: bearer(collector.adminToken))
        }
        let snapshot = try DatabaseSnapshot(collector)
        for (id, secret) in [("nobody", "nothing"), (client.clientID, "wrong-secret"), (client.clientID, "")] {
            let result = try await http("POST", base + "/o/token/", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                        body: "grant_type=client_credentials&client_id=\(id)&client_secret=\(secret)")
            #expect(result.status == 401, "client \(id) with secret '\(secret)': \(result.status)")
            #expect(result.body.contains("invalid_client"))
        }
        let after = try DatabaseSnapshot(collector)
        #expect(after == snapshot, "changed: \(after.changes(since: snapshot))")

        // The control: the right token passes every route.
        for route in Self.routes {
            let result = try await http(route.method, base + route.path, headers: ["Authorization": "Token \(credentials.allScopes)"],
                                        body: route.body)
            #expect(![401, 403].contains(result.status), "\(route) refused a token with every scope: \(result.status) \(result.body)")
        }
        await collector.stop()
    }
}

/// Every row of every table, read from the collector's store beside the
/// running collector (its SQLite file, or its PostgreSQL database through
/// `psql`); the readiness probe's scratch row, the leases' renewals and the
/// tokens' last-used times are left out.
struct DatabaseSnapshot: Equatable {
    var tables: [String: [String]]

    /// A valid token refused for its scope was still presented: its
    /// last_used moves, as an audit of who knocks should.
    static let tokenColumns = "id, name, secret_hash, scopes, site, created, revoked, expires"

    init(_ collector: RunningCollector) throws {
        if let url = collector.config.store {
            tables = try Self.postgres(url, passwordFile: collector.config.storePasswordFile ?? "")
        } else {
            tables = try Self.sqlite(dataDirectory: collector.dataDirectory)
        }
        // The bootstrap admin token is always there: a snapshot without it
        // read some other database, and would compare equal to anything.
        guard tables["tokens"]?.isEmpty == false else { throw CLIStyleError("the snapshot found no tokens: not the collector's store") }
    }

    private static func sqlite(dataDirectory: String) throws -> [String: [String]] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: (dataDirectory as NSString).appendingPathComponent("collector.sqlite"),
                                      configuration: configuration)
        return try queue.read { db in
            let names = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'readiness_probe'
                """)
            var tables: [String: [String]] = [:]
            for name in names {
                let columns = name == "tokens" ? tokenColumns : "*"
                // WITHOUT ROWID tables (event_ids) are compared as sets.
                let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM \"\(name)\"").map(\.description)
                tables[name] = rows.sorted()
            }
            return tables
        }
    }

    private static func postgres(_ url: String, passwordFile: String) throws -> [String: [String]] {
        let password = try String(contentsOfFile: passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        func rows(_ sql: String) throws -> [String] {
            try PostgresServer.command("/usr/bin/psql", [url, "-v", "ON_ERROR_STOP=1", "-XAtc", sql], environment: ["PGPASSWORD": password])
                .split(separator: "\n").map(String.init)
        }
        var tables: [String: [String]] = [:]
        for name in try rows("""
            SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
            AND table_name NOT IN ('readiness_probe', 'leases')
            """) {
            let columns = name == "tokens" ? tokenColumns : "*"
            tables[name] = try rows("SELECT \(columns) FROM \"\(name)\"").sorted()
        }
        return tables
    }

    /// The tables whose rows differ, with the rows that came or went.
    func changes(since earlier: DatabaseSnapshot) -> String {
        Set(tables.keys).union(earlier.tables.keys).sorted().compactMap { name in
            let now = tables[name] ?? [], then = earlier.tables[name] ?? []
            guard now != then else { return nil }
            return "\(name): +\(now.filter { !then.contains($0) }) -\(then.filter { !now.contains($0) })"
        }.joined(separator: "; ")
    }
}

/// One empty message to any method, as raw bytes, so the table needs no
/// request type per RPC; the code it ended with, nil for OK.
extension RunningCollector {
    func rawCall(_ method: MethodDescriptor, authorization: String?) async throws -> RPCError.Code? {
        var metadata: Metadata = [:]
        if let authorization { metadata.addString(authorization, forKey: "authorization") }
        do {
            try await withClient { client in
                let request = StreamingClientRequest<[UInt8]>(metadata: metadata) { writer in try await writer.write([]) }
                try await client.bidirectionalStreaming(
                    request: request, descriptor: method, serializer: RawBytes(), deserializer: RawBytes(),
                    options: .timeout(.seconds(10))
                ) { response in
                    for try await _ in response.messages {}
                }
            }
            return nil
        } catch let error as RPCError {
            return error.code
        }
    }
}

struct RawBytes: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
