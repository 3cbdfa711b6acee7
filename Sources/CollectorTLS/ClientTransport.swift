import CollectorModel
import GRPCCore
import GRPCNIOTransportHTTP2

/// A gRPC client transport to `target` over TLS described by `tls`.
/// `serverName`, when set, replaces the target's host in SNI and in the
/// certificate name check. Messages larger than `maxMessageBytes` are refused.
public func makeClientTransport(target: HostPort, tls: ClientTLSSettings,
                                maxMessageBytes: Int = 4 << 20) throws -> HTTP2ClientTransport.Posix {
    let resolvable: any ResolvableTarget
    if target.isIPv6 {
        resolvable = .ipv6(address: target.host, port: target.port)
    } else if IPAddressBytes.ipv4(target.host) != nil {
        resolvable = .ipv4(address: target.host, port: target.port)
    } else {
        resolvable = .dns(host: target.host, port: target.port)
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
