import GRPCNIOTransportHTTP2
import NIOCertificateReloading
import NIOSSL

/// The collector's TLS: a certificate chain and key from files and, when a
/// client CA is configured, mutual TLS with a client certificate required.
///
/// The minimum protocol version is not set here because the transport
/// already enforces it: grpc-swift-nio-transport's `TLSConfiguration.init`
/// for the Posix server (NIOSSL+GRPC.swift) sets `minimumTLSVersion =
/// .tlsv12`, and `.noHostnameVerification` on a NIOSSL server means
/// `SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT`.
public struct ServerTLSSettings: Sendable, Equatable {
    /// PEM: the server certificate, optionally followed by intermediates.
    public var certificatePath: String
    /// PEM private key; must not be readable by group or others.
    public var keyPath: String
    /// PEM CA certificates that sign client certificates; nil for
    /// server-only TLS.
    public var clientCAPath: String?

    public init(certificatePath: String, keyPath: String, clientCAPath: String? = nil) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.clientCAPath = clientCAPath
    }

    /// The certificate and key, read now and again on every reload.
    public func reloadableCertificate() throws -> ReloadableCertificate {
        try ReloadableCertificate(.init(certificatePath: certificatePath, keyPath: keyPath))
    }

    /// The transport's TLS with the certificate read once.
    public func transportSecurity() throws -> HTTP2ServerTransport.Posix.TransportSecurity {
        try transportSecurity(certificate: reloadableCertificate())
    }

    /// The transport's TLS: the certificate comes from `certificate`, so a
    /// reload reaches new handshakes; the client CA is read once.
    public func transportSecurity(certificate: ReloadableCertificate) throws -> HTTP2ServerTransport.Posix.TransportSecurity {
        guard let clientCAPath else {
            return try .tls(certificateReloader: certificate)
        }
        try TLSFileChecks.requireReadable(clientCAPath, role: "client CA")
        return try .mTLS(certificateReloader: certificate) { config in
            // Clients are identified by certificate, not by where they
            // connect from, so there is no hostname to check.
            config.clientCertificateVerification = .noHostnameVerification
            config.trustRoots = .certificates([.file(path: clientCAPath, format: .pem)])
        }
    }
}

extension ServerTLSSettings {
    /// The HTTP port's TLS (`http.tls: true`): the same certificate as gRPC,
    /// reloaded with it, HTTP/1.1 only. Browsers and the legacy clients
    /// present no client certificate, so none is asked for.
    public func httpTLSConfiguration(certificate: ReloadableCertificate) throws -> TLSConfiguration {
        var configuration = try TLSConfiguration.makeServerConfiguration(certificateReloader: certificate)
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        return configuration
    }
}
