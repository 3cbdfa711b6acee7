import CollectorModel
import CollectorProto
@testable import CollectorServer
import CollectorTLS
import Foundation
import GRPCCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization
import Testing

/// What an operator checks before trusting Collector: old TLS versions and
/// foreign client certificates do not get in, secrets never reach the log,
/// and hostile strings are stored and echoed as the literal text they are.
@Suite("Security", .serialized)
struct SecurityTests {
    /// Completes a TLS handshake with the collector's gRPC port, or throws.
    static func handshake(port: Int, caPath: String, minimum: TLSVersion, maximum: TLSVersion,
                          identity: (certificate: String, key: String)? = nil) async throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = minimum
        configuration.maximumTLSVersion = maximum
        configuration.trustRoots = .file(caPath)
        configuration.applicationProtocols = ["h2"]
        if let identity {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(identity.certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: identity.key, format: .pem))
        }
        let context = try NIOSSLContext(configuration: configuration)
        let handshake = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(promise: handshake))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        defer { channel.close(promise: nil) }
        try await handshake.futureResult.get()
        // With TLS 1.3 a refused client certificate is only reported after
        // the client's handshake completes: read until the server speaks or closes.
        try await channel.writeAndFlush(ByteBuffer(string: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")).get()
        try await Task.sleep(for: .milliseconds(200))
        guard channel.isActive else { throw CLIStyleError("the server closed the connection after the handshake") }
    }

    final class HandshakeWatcher: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<Void>
        init(promise: EventLoopPromise<Void>) { self.promise = promise }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted = event as? TLSUserEvent { promise.succeed(()) }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(CLIStyleError("closed before the handshake completed"))
            context.fireChannelInactive()
        }
    }

    @Test func tls10And11AreRefusedWhile12And13AreAccepted() async throws {
        let directory = try TemporaryDirectory("tls-versions")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let port = collector.addresses.grpcPort
        // The control: the same client code gets in with current versions.
        try await Self.handshake(port: port, caPath: collector.caPath, minimum: .tlsv12, maximum: .tlsv12)
        try await Self.handshake(port: port, caPath: collector.caPath, minimum: .tlsv13, maximum: .tlsv13)
        await #expect(throws: (any Error).self) {
            try await Self.handshake(port: port, caPath: collector.caPath, minimum: .tlsv1, maximum: .tlsv1)
        }
        await #expect(throws: (any Error).self) {
            try await Self.handshake(port: port, caPath: collector.caPath, minimum: .tlsv11, maximum: .tlsv11)
        }
        await collector.stop()
    }

    @Test func mutualTLSRefusesACertificateFromAnotherCA() async throws {
        let directory = try TemporaryDirectory("mtls-foreign")
        _ = try DevelopmentCertificates.ensure(in: directory.file("collector"))
        _ = try DevelopmentCertificates.ensure(in: directory.file("stranger"))
        var config = RunningCollector.testConfig
        config.tls.clientCA = directory.file("collector/ca.pem")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"), config: config)
        let trusted = try DevelopmentCertificates.issueClientCertificate(
            caDirectory: directory.file("collector"), commonName: "agent-1", into: directory.file("trusted"))
        let foreign = try DevelopmentCertificates.issueClientCertificate(
            caDirectory: directory.file("stranger"), commonName: "agent-1", into: directory.file("foreign"))

        try await Self.handshake(port: collector.addresses.grpcPort, caPath: collector.caPath, minimum: .tlsv12, maximum: .tlsv13,
                                 identity: (trusted.certificatePath, trusted.keyPath))
        await #expect(throws: (any Error).self) {
            try await Self.handshake(port: collector.addresses.grpcPort, caPath: collector.caPath, minimum: .tlsv12, maximum: .tlsv13,
                                     identity: (foreign.certificatePath, foreign.keyPath))
        }
        let tls = ClientTLSSettings(caPath: collector.caPath, certificatePath: foreign.certificatePath, keyPath: foreign.keyPath)
        await #expect(throws: (any Error).self) {
            try await collector.withClient(tls: tls) { client in
                _ = try await Grpc_Health_V1_Health.Client(wrapping: client).check(.init(), options: .timeout(.seconds(5)))
            }
        }
        await collector.stop()
    }

    @Test func tokensAndSecretsNeverReachTheLogEvenAtTrace() async throws {
        let directory = try TemporaryDirectory("log-secrets")
        let log = CapturedLog()
        var logger = Logger(label: "collector") { _ in log }
        logger.logLevel = .trace
        let collector = try await RunningCollector.start(dataDirectory: directory.path, logger: logger)
        let admin = collector.adminToken
        let base = "http://127.0.0.1:\(collector.addresses.httpPort)"

        // Tokens made, used, misused and revoked over gRPC.
        var create = Collector_V1_CreateTokenRequest()
        create.name = "agents"
        create.scopes = ["ingest"]
        create.site = "lab"
        let created = try await collector.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).createToken(create, metadata: bearer(admin))
        }
        let secret = created.token
        let wrongSecret = String(secret.dropLast(4)) + "zzzz"
        _ = try? await collector.withClient { client in
            try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: bearer(secret))
        }
        _ = try? await collector.withClient { client in
            try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: bearer(wrongSecret))
        }
        // An OAuth client and its client-credentials flow on the legacy API.
        var oauth = Collector_V1_CreateOAuthClientRequest()
        oauth.name = "stats"
        oauth.scopes = ["write"]
        oauth.site = "lab"
        let client = try await collector.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).createOAuthClient(oauth, metadata: bearer(admin))
        }
        func basic(_ id: String, _ secret: String) -> [String: String] {
            ["Authorization": "Basic \(Data("\(id):\(secret)".utf8).base64EncodedString())",
             "Content-Type": "application/x-www-form-urlencoded"]
        }
        let issued = try await http("POST", base + "/o/token/", headers: basic(client.clientID, client.clientSecret),
                                    body: "grant_type=client_credentials")
        let accessToken = (issued.json as? [String: Any])?["access_token"] as? String ?? ""
        #expect(!accessToken.isEmpty)
        _ = try await http("POST", base + "/api/track/", headers: ["Authorization": "Bearer \(accessToken)"], body: "{}")
        _ = try await http("POST", base + "/o/token/", headers: basic(client.clientID, "wrong-" + client.clientSecret),
                           body: "grant_type=client_credentials")
        var revoke = Collector_V1_RevokeTokenRequest()
        revoke.id = "agents"
        _ = try await collector.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).revokeToken(revoke, metadata: bearer(admin))
        }
        await collector.stop()

        let text = log.text
        #expect(!text.isEmpty, "the collector logged at trace level")
        for (name, value) in [("admin token", admin), ("ingest token", secret), ("a wrong token", wrongSecret),
                              ("client secret", client.clientSecret), ("access token", accessToken)] {
            #expect(!text.contains(value), "\(name) appears in the log")
            // Nor the secret part alone, after the public id.
            if let part = value.split(separator: "_").last, part.count >= 16 {
                #expect(!text.contains(part), "the secret part of the \(name) appears in the log")
            }
        }
    }

    @Test func hostileStringsAreStoredAndEchoedLiterally() async throws {
        let directory = try TemporaryDirectory("hostile")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let base = "http://127.0.0.1:\(collector.addresses.httpPort)"
        let hostile = [
            "Robert'); DROP TABLE instances; --",
            "../../../../etc/passwd",
            "%00\\u0000 OR 1=1 /*",
            "\" OR \"\"=\"",
        ]
        for (index, text) in hostile.enumerated() {
            let body = try JSONSerialization.data(withJSONObject: [
                "url": "https://h\(index).example.org/../admin?x=%27%20OR%201=1%20--", "contact": text, "email": "ops@example.org", "organisation": text,
            ])
            let created = try await http("POST", base + "/api/instance/", headers: ["Content-Type": "application/json"],
                                         body: String(decoding: body, as: UTF8.self))
            #expect(created.status == 200, "\(created.body)")
            let uuid = try #require((created.json as? [String: Any])?["uuid"] as? String)
            let read = try await http("GET", base + "/api/instance/\(uuid)")
            let summary = try #require(read.json as? [String: Any])
            #expect(summary["contact"] as? String == text)
            #expect(summary["organisation"] as? String == text)
        }
        #expect(try await collector.store.instances(InstanceQuery()).total == hostile.count)
        // A uuid made of a traversal is not found, and does not reach the filesystem.
        let traversal = try await http("GET", base + "/api/instance/..%2F..%2Fcollector.sqlite")
        #expect(traversal.status == 404)
        await collector.stop()
    }
}

/// Every message and its metadata, as text, at whatever level.
final class CapturedLog: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])
    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        lines.withLock { $0.append("\(event.level) \(event.message) \(event.metadata ?? [:]) \(event.source)") }
    }
}

@Suite("Per-token rate limits", .serialized)
struct TokenRateLimitTests {
    @Test func aTokenOverItsRateIsRefusedOnBothSidesAndRecovers() async throws {
        let directory = try TemporaryDirectory("token-rate")
        var config = RunningCollector.testConfig
        config.limits.tokenBurst = 3
        // One new request every 5 s: slow enough that the refused calls
        // below stay refused on a machine busy with other tests.
        config.limits.tokenRequestsPerMinute = 12
        let collector = try await RunningCollector.start(dataDirectory: directory.path, config: config)
        let busy = try await collector.createToken(scopes: ["read", "ingest"], site: "lab", name: "busy")
        let calm = try await collector.createToken(scopes: ["read"], site: "lab", name: "calm")
        func listAgents(_ token: String) async throws {
            _ = try await collector.withClient { client in
                try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: bearer(token))
            }
        }
        for _ in 0..<3 { try await listAgents(busy) }
        let refused = await #expect(throws: RPCError.self) { try await listAgents(busy) }
        #expect(refused?.code == .resourceExhausted)
        // Other tokens are not affected.
        try await listAgents(calm)

        let base = "http://127.0.0.1:\(collector.addresses.httpPort)"
        let track = try await http("POST", base + "/api/track/", headers: ["Authorization": "Bearer \(busy)", "Content-Type": "application/json"],
                                   body: #"{"namespace": "rate", "name": "x", "value": 1}"#)
        #expect(track.status == 429)
        #expect(Int(track.headers["retry-after"] ?? "") ?? 0 >= 1)
        #expect(try await collector.store.points(namespace: "rate", name: "x", from: .distantPast, to: .distantFuture).isEmpty)

        // The bucket refills: the token works again.
        #expect(await eventually(timeout: .seconds(12)) { (try? await listAgents(busy)) != nil })
        await collector.stop()
    }
}
