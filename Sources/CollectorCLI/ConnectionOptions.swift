import ArgumentParser
import CollectorModel
import CollectorTLS
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOPosix

/// How collectorctl reaches the collector: flags first, then the
/// environment (`COLLECTOR_SERVER`, `COLLECTOR_CA`, `COLLECTOR_TOKEN_FILE`,
/// `COLLECTOR_TOKEN`).
public struct ConnectionOptions: ParsableArguments {
    @Option(help: "Collector gRPC address, HOST:PORT; several, comma-separated, for collectors sharing one store (env COLLECTOR_SERVER; default 127.0.0.1:7443).")
    var server: String?
    @Option(help: "CA certificate of the collector (env COLLECTOR_CA; default: system roots).")
    var ca: String?
    @Option(help: "File holding the token, e.g. the collector's admin.token (env COLLECTOR_TOKEN_FILE).")
    var tokenFile: String?
    @Option(help: "The token itself (env COLLECTOR_TOKEN). Prefer --token-file: arguments show in ps.")
    var token: String?
    @Option(help: "Name to check the collector's certificate against.")
    var serverName: String?
    @Option(help: "Client certificate for mutual TLS.")
    var clientCertificate: String?
    @Option(help: "Client key for mutual TLS.")
    var clientKey: String?

    public init() {}

    static let names = ["--server", "--ca", "--token-file", "--token", "--server-name", "--client-certificate", "--client-key"]

    /// `collectorctl --server X --token-file F agents list` reads naturally,
    /// but ArgumentParser gives options to the command that declares them:
    /// connection options written before the command are moved after it.
    static func movingLeadingOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if let name = names.first(where: { argument.hasPrefix($0 + "=") }) {
                leading.append(name)
                leading.append(String(argument.dropFirst(name.count + 1)))
                index += 1
            } else if names.contains(argument), index + 1 < arguments.endIndex {
                leading.append(contentsOf: arguments[index...index + 1])
                index += 2
            } else {
                break
            }
        }
        return Array(arguments[index...]) + leading
    }

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func targets() throws -> [HostPort] {
        try HostPort.list(parsing: server ?? environment["COLLECTOR_SERVER"] ?? "127.0.0.1:7443", field: "--server")
    }

    /// Of several collectors, the first that accepts a connection. Probing
    /// before the call, not retrying after it, keeps a command from running
    /// twice when the first collector did it and then went away.
    func reachableTarget() async throws -> HostPort {
        let targets = try targets()
        if targets.count > 1 {
            for target in targets where await Self.acceptsConnections(target) { return target }
        }
        // None answered: the call reports the first one's failure.
        return targets[0]
    }

    static func acceptsConnections(_ target: HostPort) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(3))
                .connect(host: target.host, port: target.port).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }

    /// Flags before the environment, and a file before a literal token
    /// within each: `--token`, `--token-file`, `COLLECTOR_TOKEN_FILE`,
    /// `COLLECTOR_TOKEN`.
    func resolvedToken() throws -> String {
        if let token, !token.isEmpty { return token }
        if let file = tokenFile ?? environment["COLLECTOR_TOKEN_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CLIError("cannot read token file \(file)")
            }
            return text.trimmingWhitespace()
        }
        if let token = environment["COLLECTOR_TOKEN"], !token.isEmpty { return token }
        throw CLIError("no token: use --token-file FILE (or COLLECTOR_TOKEN_FILE), --token or COLLECTOR_TOKEN")
    }

    /// Runs `body` with a connected client and the auth metadata.
    func withClient<T: Sendable>(_ body: (GRPCClient<HTTP2ClientTransport.Posix>, Metadata) async throws -> T) async throws -> T {
        let tls = ClientTLSSettings(caPath: ca ?? environment["COLLECTOR_CA"], certificatePath: clientCertificate,
                                    keyPath: clientKey, serverName: serverName)
        let transport = try makeClientTransport(target: try await reachableTarget(), tls: tls)
        let metadata: Metadata = ["authorization": "Bearer \(try resolvedToken())"]
        return try await withGRPCClient(transport: transport) { client in
            try await body(client, metadata)
        }
    }
}

/// A failure found by collectorctl itself; usage mistakes by default
/// (exit 64), or another documented exit code (66 for a series that does
/// not exist).
public struct CLIError: Error, CustomStringConvertible {
    public var description: String
    public var exitCode: Int32
    public init(_ description: String, exitCode: Int32 = 64) {
        self.description = description
        self.exitCode = exitCode
    }
}
