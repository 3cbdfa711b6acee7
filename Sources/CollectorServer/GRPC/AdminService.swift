import CollectorModel
import CollectorProto
import CollectorStore
import CollectorWire
import Foundation
import GRPCCore
import Logging

/// Operators' actions: tokens, OAuth clients, instances and crawls.
public struct AdminService: Collector_V1_Admin.SimpleServiceProtocol {
    let store: any Store
    let crawling: InstanceCrawling
    /// Where backups are written before they are streamed.
    let backupDirectory: String
    /// Revocations take effect at once, past the authenticator's cache.
    let authenticator: Authenticator
    /// Agents told at once when their pools change.
    let poolWatchers: PoolAssignmentWatchers
    let logger: Logger
    var pools: PoolAdministration { PoolAdministration(store: store, poolWatchers: poolWatchers, logger: logger) }

    public init(store: any Store, crawling: InstanceCrawling, backupDirectory: String, authenticator: Authenticator,
                poolWatchers: PoolAssignmentWatchers = PoolAssignmentWatchers(), logger: Logger) {
        self.store = store
        self.crawling = crawling
        self.backupDirectory = backupDirectory
        self.authenticator = authenticator
        self.poolWatchers = poolWatchers
        self.logger = logger
    }

    public func createToken(request: Collector_V1_CreateTokenRequest, context: ServerContext) async throws -> Collector_V1_CreateTokenResponse {
        let (record, secret): (TokenRecord, TokenSecret)
        do {
            (record, secret) = try TokenIssuer.issue(name: request.name, scopes: request.scopes,
                                                     site: request.site.isEmpty ? nil : request.site)
        } catch {
            throw RPCError(error)
        }
        try await storeCall { try await store.insertToken(record) }
        logger.info("token created", metadata: ["token_id": "\(record.id)", "name": "\(record.name)", "scopes": "\(request.scopes)"])
        var response = Collector_V1_CreateTokenResponse()
        response.info = Collector_V1_TokenInfo(record)
        response.token = secret.text
        return response
    }

    public func listTokens(request: Collector_V1_ListTokensRequest, context: ServerContext) async throws -> Collector_V1_ListTokensResponse {
        var response = Collector_V1_ListTokensResponse()
        response.tokens = try await storeCall { try await store.tokens() }.map(Collector_V1_TokenInfo.init)
        return response
    }

    public func revokeToken(request: Collector_V1_RevokeTokenRequest, context: ServerContext) async throws -> Collector_V1_RevokeTokenResponse {
        guard !request.id.isEmpty else { throw RPCError(code: .invalidArgument, message: "id: is required") }
        guard let record = try await storeCall({ try await store.revokeToken(idOrName: request.id, at: Date()) }) else {
            throw RPCError(code: .notFound, message: "no token with id or name '\(request.id)'")
        }
        authenticator.forgetCachedTokens()
        logger.info("token revoked", metadata: ["token_id": "\(record.id)", "name": "\(record.name)"])
        var response = Collector_V1_RevokeTokenResponse()
        response.info = Collector_V1_TokenInfo(record)
        return response
    }
}

extension AdminService {
    public func createOAuthClient(request: Collector_V1_CreateOAuthClientRequest, context: ServerContext) async throws -> Collector_V1_CreateOAuthClientResponse {
        let name = request.name.trimmingCharacters(in: .whitespaces)
        guard (1...128).contains(name.count) else { throw RPCError(code: .invalidArgument, message: "name: must be 1-128 characters") }
        var scopes = Set<Scope>()
        for legacy in request.scopes {
            guard let scope = TrackingRoutes.scopeNames.first(where: { $0.legacy == legacy })?.scope else {
                throw RPCError(code: .invalidArgument, message: "scope: '\(legacy)' is not one of read, write, aggregation")
            }
            scopes.insert(scope)
        }
        guard !scopes.isEmpty else { throw RPCError(code: .invalidArgument, message: "scope: at least one is required") }
        // A client id is public; the secret is the part that is hashed.
        let secret = TokenSecret.generate()
        let record = OAuthClientRecord(id: secret.id, name: name, secretHash: secret.hash, scopes: scopes,
                                       site: request.site.isEmpty ? "legacy" : request.site, created: Date())
        try await storeCall { try await store.insertOAuthClient(record) }
        logger.info("OAuth client created", metadata: ["client_id": "\(record.id)", "name": "\(name)"])
        var response = Collector_V1_CreateOAuthClientResponse()
        response.clientID = secret.id
        response.clientSecret = secret.secret
        return response
    }
}

extension AdminService {
    public func importTokens(request: Collector_V1_ImportTokensRequest, context: ServerContext) async throws -> Collector_V1_ImportTokensResponse {
        let site = request.site.isEmpty ? "legacy" : request.site
        var response = Collector_V1_ImportTokensResponse()
        var records: [TokenRecord] = []
        for (index, imported) in request.tokens.enumerated() {
            guard (8...1024).contains(imported.token.utf8.count) else {
                throw RPCError(code: .invalidArgument, message: "tokens[\(index)].token: must be 8-1024 bytes")
            }
            let identity = imported.identity.isEmpty ? "imported" : String(imported.identity.prefix(128))
            let secret = TokenSecret.presented(imported.token)
            if try await storeCall({ try await store.token(id: secret.id) }) != nil {
                response.skipped += 1
                continue
            }
            records.append(TokenRecord(id: secret.id, name: identity, secretHash: secret.hash, scopes: [.ingest, .read],
                                       site: site, created: Date()))
        }
        for record in records { try await storeCall { try await store.insertToken(record) } }
        response.imported = UInt32(records.count)
        logger.info("imported tokens", metadata: ["imported": "\(response.imported)", "skipped": "\(response.skipped)"])
        return response
    }
}

/// Makes new tokens: the one place secrets are born.
public enum TokenIssuer {
    public static func issue(name: String, scopes names: [String], site: String?, at time: Date = Date()) throws(ValidationError) -> (TokenRecord, TokenSecret) {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...128).contains(name.count) else { throw ValidationError(field: "name", "must be 1-128 characters") }
        let scopes = try Scope.parse(names)
        if let site {
            guard (1...128).contains(site.count), site.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw ValidationError(field: "site", "must be 1-128 letters, digits, - _ .")
            }
        }
        if scopes.contains(.ingest) && site == nil {
            throw ValidationError(field: "site", "an ingest token must be bound to a site (--site)")
        }
        let secret = TokenSecret.generate()
        let record = TokenRecord(id: secret.id, name: name, secretHash: secret.hash, scopes: scopes, site: site, created: time)
        return (record, secret)
    }
}
