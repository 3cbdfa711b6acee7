@testable import AgentKit
@testable import CollectorCLI
import CollectorModel
import CollectorProto
import CollectorTLS
import Foundation
import GRPCCore
import Testing

/// No `--ca` for a collector with its development CA: the likeliest slip.
/// gRPC reports a connection closed before the HTTP/2 preface; collectorctl
/// and the agent say the certificate is not trusted and what to give.
@Suite("Untrusted certificates", .serialized)
struct TLSTrustHintTests {
    @Test func aCallWithoutTheCAIsNamedAsATrustFailure() async throws {
        let directory = try TemporaryDirectory("trust")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let admin = collector.adminToken
        let call: @Sendable (ClientTLSSettings) async throws -> Void = { tls in
            _ = try await collector.withClient(tls: tls) { client in
                try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: bearer(admin))
            }
        }
        // The system roots do not hold the development CA.
        let refused = await #expect(throws: RPCError.self) { try await call(ClientTLSSettings()) }
        let error = try #require(refused)
        #expect(error.code == .unavailable)
        #expect(TLSTrustFailure.reason(in: error)?.contains("certificate verify failed") == true)
        let line = CLIFailure.describe(error)
        #expect(line.contains("--ca FILE or COLLECTOR_CA=FILE"), "\(line)")
        #expect(line.hasPrefix("collector unavailable (UNAVAILABLE): the TLS handshake failed"), "\(line)")

        // The control: with the CA it works, and other failures are not trust failures.
        try await call(ClientTLSSettings(caPath: collector.caPath))
        await collector.stop()
        let down = await #expect(throws: RPCError.self) { try await call(ClientTLSSettings(caPath: collector.caPath)) }
        #expect(down.map { TLSTrustFailure.reason(in: $0) } == .some(nil))
    }

    @Test func theAgentSaysWhatToConfigure() async throws {
        let directory = try TemporaryDirectory("trust-agent")
        let collector = try await RunningCollector.start(dataDirectory: directory.path + "/collector")
        let token = try await collector.createToken(scopes: ["ingest"], site: "trust")
        var config = RunningAgent.config(stateDir: directory.path + "/agent", collector: collector, token: token)
        config.collector.ca = nil
        let agent = try await RunningAgent(config: config)
        #expect(await eventually { agent.status.lastError?.contains("collector.ca in the config") == true },
                "\(agent.status.lastError ?? "no error")")
        #expect(!agent.status.connected)
        await agent.stop()
        await collector.stop()
    }
}
