import GRPCCore
import GRPCNIOTransportHTTP2

/// A gRPC client transport to `target` ("host:port" or "[ipv6]:port") over
/// TLS described by `tls`. `serverName`, when set, replaces the target's host
/// in SNI and in the certificate name check. Messages larger than
/// `maxMessageBytes` are refused.
public func makeClientTransport(target: String, tls: ClientTLSSettings,
                                maxMessageBytes: Int = 4 << 20) throws -> HTTP2ClientTransport.Posix {
    let parsed = try ClientTarget(parsing: target)
    let resolvable: any ResolvableTarget = switch parsed.host {
    case .ipv4(let address): .ipv4(address: address, port: parsed.port)
    case .ipv6(let address): .ipv6(address: address, port: parsed.port)
    case .dns(let host): .dns(host: host, port: parsed.port)
    }
    let serverName = tls.serverName
    return try HTTP2ClientTransport.Posix(
        target: resolvable,
        transportSecurity: try tls.transportSecurity(),
        config: .defaults { config in
            if let serverName { config.http2.authority = serverName }
        },
        serviceConfig: messageSizeLimits(maxMessageBytes)
    )
}

/// For callers holding an address type with a "host:port" description
/// (CollectorModel's HostPort): this module does not depend on
/// CollectorModel, so the address arrives as its text.
public func makeClientTransport(target: some CustomStringConvertible, tls: ClientTLSSettings,
                                maxMessageBytes: Int = 4 << 20) throws -> HTTP2ClientTransport.Posix {
    try makeClientTransport(target: target.description, tls: tls, maxMessageBytes: maxMessageBytes)
}

/// Both limits, for every method. grpc-swift-nio-transport 2.9 applies
/// `maxRequestMessageBytes` to the messages a client *receives* (its response
/// deframer) and does not read `maxResponseMessageBytes`; setting both keeps
/// the limit right whichever the transport honours.
private func messageSizeLimits(_ maxMessageBytes: Int) -> ServiceConfig {
    ServiceConfig(methodConfig: [
        MethodConfig(names: [MethodConfig.Name(service: "")],
                     maxRequestMessageBytes: maxMessageBytes,
                     maxResponseMessageBytes: maxMessageBytes)
    ])
}
