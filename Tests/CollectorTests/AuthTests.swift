import CollectorModel
import CollectorServer
import CollectorProto
import CollectorTLS
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Testing

/// Every RPC, against a real collector over TLS, with every kind of bad
/// credential: refused with the right status, nothing stored.
@Suite("Authentication of every RPC", .serialized)
struct AuthTests {
    typealias Call = @Sendable (GRPCClient<HTTP2ClientTransport.Posix>, Metadata) async throws -> Void

    struct RPC: Sendable, CustomStringConvertible {
        var name: String
        /// A scope the RPC does not accept, for the wrong-scope case.
        var wrongScope: String
        var call: Call
        var description: String { name }
    }

    static let rpcs: [RPC] = [
        RPC(name: "Ingest.Register", wrongScope: "read") { client, metadata in
            var request = Collector_V1_RegisterRequest()
            request.agentID = "intruder"
            _ = try await Collector_V1_Ingest.Client(wrapping: client).register(request, metadata: metadata)
        },
        RPC(name: "Ingest.UpdateInstance", wrongScope: "admin") { client, metadata in
            var request = Collector_V1_UpdateInstanceRequest()
            request.instanceUuid = UUID().uuidString
            _ = try await Collector_V1_Ingest.Client(wrapping: client).updateInstance(request, metadata: metadata)
        },
        RPC(name: "Ingest.Push", wrongScope: "aggregate") { client, metadata in
            try await Collector_V1_Ingest.Client(wrapping: client).push(metadata: metadata) { writer in
                var batch = Collector_V1_Batch()
                batch.agentID = "intruder"
                batch.sequence = 1
                try await writer.write(batch)
            } onResponse: { response in
                for try await _ in response.messages {}
            }
        },
        RPC(name: "Ingest.LogEvents", wrongScope: "read") { client, metadata in
            var event = Collector_V1_Event()
            event.namespace = "intruder"
            event.name = "x"
            event.timeUnixNano = 1_700_000_000_000_000_000
            var request = Collector_V1_LogEventsRequest()
            request.events = [event]
            _ = try await Collector_V1_Ingest.Client(wrapping: client).logEvents(request, metadata: metadata)
        },
        RPC(name: "Query.Aggregate", wrongScope: "read") { client, metadata in
            var request = Collector_V1_AggregateRequest()
            request.namespace = "intruder"
            request.name = "x"
            _ = try await Collector_V1_Query.Client(wrapping: client).aggregate(request, metadata: metadata)
        },
        RPC(name: "Admin.CreateOAuthClient", wrongScope: "aggregate") { client, metadata in
            var request = Collector_V1_CreateOAuthClientRequest()
            request.name = "sneaky"
            request.scopes = ["write"]
            _ = try await Collector_V1_Admin.Client(wrapping: client).createOAuthClient(request, metadata: metadata)
        },
        RPC(name: "Admin.ImportTokens", wrongScope: "read") { client, metadata in
            var imported = Collector_V1_ImportedToken()
            imported.token = "intruder-token-0123456789"
            var request = Collector_V1_ImportTokensRequest()
            request.tokens = [imported]
            _ = try await Collector_V1_Admin.Client(wrapping: client).importTokens(request, metadata: metadata)
        },
        RPC(name: "Query.ListAgents", wrongScope: "ingest") { client, metadata in
            _ = try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: metadata)
        },
        RPC(name: "Query.ListInstances", wrongScope: "admin") { client, metadata in
            _ = try await Collector_V1_Query.Client(wrapping: client).listInstances(.init(), metadata: metadata)
        },
        RPC(name: "Query.GetInstance", wrongScope: "aggregate") { client, metadata in
            var request = Collector_V1_GetInstanceRequest()
            request.uuid = UUID().uuidString
            _ = try await Collector_V1_Query.Client(wrapping: client).getInstance(request, metadata: metadata)
        },
        RPC(name: "Admin.CreateToken", wrongScope: "read") { client, metadata in
            var request = Collector_V1_CreateTokenRequest()
            request.name = "sneaky"
            request.scopes = ["admin"]
            _ = try await Collector_V1_Admin.Client(wrapping: client).createToken(request, metadata: metadata)
        },
        RPC(name: "Admin.ListTokens", wrongScope: "ingest") { client, metadata in
            _ = try await Collector_V1_Admin.Client(wrapping: client).listTokens(.init(), metadata: metadata)
        },
        RPC(name: "Admin.RevokeToken", wrongScope: "aggregate") { client, metadata in
            var request = Collector_V1_RevokeTokenRequest()
            request.id = "bootstrap-admin"
            _ = try await Collector_V1_Admin.Client(wrapping: client).revokeToken(request, metadata: metadata)
        },
    ]

    func expectRefused(_ rpc: RPC, _ metadata: Metadata, code: RPCError.Code, collector: RunningCollector,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
        do {
            try await collector.withClient { client in try await rpc.call(client, metadata) }
            Issue.record("\(rpc.name) was accepted", sourceLocation: sourceLocation)
        } catch let error as RPCError {
            #expect(error.code == code, "\(rpc.name): \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("refuses missing, malformed, unknown, revoked, expired and wrong-scope tokens", arguments: rpcs)
    func refusesBadCredentials(rpc: RPC) async throws {
        let directory = try TemporaryDirectory("auth")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        defer { Task { await collector.stop() } }

        let revoked = try await collector.createToken(scopes: ["ingest", "read", "aggregate", "admin"], site: "lab", name: "revoked")
        _ = try await collector.store.revokeToken(idOrName: "revoked", at: Date())
        let expired = TokenSecret.generate()
        try await collector.store.insertToken(TokenRecord(id: expired.id, name: "expired", secretHash: expired.hash,
                                                          scopes: Set(Scope.allCases), site: "lab", created: Date(timeIntervalSinceNow: -7200),
                                                          expires: Date(timeIntervalSinceNow: -3600)))
        let wrongScope = try await collector.createToken(scopes: [rpc.wrongScope], site: "lab", name: "narrow")
        let unknown = TokenSecret.generate().text
        let tokensBefore = try await collector.store.tokens()

        try await expectRefused(rpc, [:], code: .unauthenticated, collector: collector)
        try await expectRefused(rpc, ["authorization": "Bearer not-a-token"], code: .unauthenticated, collector: collector)
        try await expectRefused(rpc, bearer(unknown), code: .unauthenticated, collector: collector)
        try await expectRefused(rpc, bearer(revoked), code: .unauthenticated, collector: collector)
        try await expectRefused(rpc, bearer(expired.text), code: .unauthenticated, collector: collector)
        try await expectRefused(rpc, bearer(wrongScope), code: .permissionDenied, collector: collector)

        // Nothing changed: no agent, no instance, the same tokens, none revoked anew.
        #expect(try await collector.store.agents(site: nil).isEmpty)
        #expect(try await collector.store.instances(InstanceQuery()).total == 0)
        #expect(try await collector.store.points(namespace: "intruder", name: "x", from: .distantPast, to: .distantFuture).isEmpty)
        let tokensAfter = try await collector.store.tokens()
        #expect(tokensAfter.map(\.id) == tokensBefore.map(\.id))
        #expect(tokensAfter.map(\.revoked) == tokensBefore.map(\.revoked))
        await collector.stop()
    }

    @Test func aTokenWithTheRightScopeIsAccepted() async throws {
        let directory = try TemporaryDirectory("auth-ok")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let tokens = try await collector.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).listTokens(.init(), metadata: bearer(collector.adminToken)).tokens
        }
        #expect(tokens.map(\.name) == ["bootstrap-admin"])
        await collector.stop()
    }

    @Test func healthNeedsNoToken() async throws {
        let directory = try TemporaryDirectory("health")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let response = try await collector.withClient { client in
            try await Grpc_Health_V1_Health.Client(wrapping: client).check(.init())
        }
        #expect(response.status == .serving)
        await collector.stop()
    }

    @Test func mutualTLSRefusesAClientWithoutACertificate() async throws {
        let directory = try TemporaryDirectory("mtls")
        _ = try DevelopmentCertificates.ensure(in: directory.path)
        var config = RunningCollector.testConfig
        config.tls.clientCA = directory.file("ca.pem")
        let collector = try await RunningCollector.start(dataDirectory: directory.path, config: config)

        await #expect(throws: (any Error).self) {
            try await collector.withClient { client in
                _ = try await Grpc_Health_V1_Health.Client(wrapping: client).check(.init(), options: .timeout(.seconds(5)))
            }
        }

        let client = try DevelopmentCertificates.issueClientCertificate(caDirectory: directory.path, commonName: "agent-1",
                                                                         into: directory.path)
        let withCertificate = ClientTLSSettings(caPath: collector.caPath, certificatePath: client.certificatePath,
                                                keyPath: client.keyPath)
        let response = try await collector.withClient(tls: withCertificate) { client in
            try await Grpc_Health_V1_Health.Client(wrapping: client).check(.init())
        }
        #expect(response.status == .serving)
        await collector.stop()
    }
}

extension CallOptions {
    static func timeout(_ duration: Duration) -> CallOptions {
        var options = CallOptions.defaults
        options.timeout = duration
        return options
    }
}
