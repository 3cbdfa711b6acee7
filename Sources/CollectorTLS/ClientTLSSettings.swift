import CollectorModel
import Foundation
import GRPCNIOTransportHTTP2

/// How agents and collectorctl trust the collector: a CA file (or the
/// system roots), the name to check, and a client certificate for mutual TLS.
public struct ClientTLSSettings: Sendable, Equatable {
    public var caPath: String?
    public var certificatePath: String?
    public var keyPath: String?
    public var serverName: String?

    public init(caPath: String? = nil, certificatePath: String? = nil, keyPath: String? = nil, serverName: String? = nil) {
        self.caPath = caPath
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.serverName = serverName
    }

    public func transportSecurity() throws -> HTTP2ClientTransport.Posix.TransportSecurity {
        for path in [caPath, certificatePath, keyPath].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: path) {
            throw TLSSetupError("cannot read \(path)")
        }
        let caPath = self.caPath
        let configure: (inout HTTP2ClientTransport.Posix.TransportSecurity.TLS) -> Void = { config in
            config.serverCertificateVerification = .fullVerification
            if let caPath { config.trustRoots = .certificates([.file(path: caPath, format: .pem)]) }
        }
        if let certificatePath, let keyPath {
            try KeyFile.checkMode(keyPath)
            return .mTLS(certificateChain: [.file(path: certificatePath, format: .pem)],
                         privateKey: .file(path: keyPath, format: .pem), configure: configure)
        }
        return .tls(configure: configure)
    }
}

/// A gRPC client transport to `target` over TLS. A configured server name
/// replaces the target's host in SNI and in the certificate check.
public func makeClientTransport(target: HostPort, tls: ClientTLSSettings) throws -> HTTP2ClientTransport.Posix {
    let resolvable: any ResolvableTarget
    if target.isIPv6 {
        resolvable = .ipv6(host: target.host, port: target.port)
    } else if target.host.allSatisfy({ $0.isNumber || $0 == "." }) {
        resolvable = .ipv4(host: target.host, port: target.port)
    } else {
        resolvable = .dns(host: target.host, port: target.port)
    }
    let serverName = tls.serverName
    return try HTTP2ClientTransport.Posix(
        target: resolvable,
        transportSecurity: try tls.transportSecurity(),
        config: .defaults { config in
            if let serverName { config.http2.authority = serverName }
        })
}
