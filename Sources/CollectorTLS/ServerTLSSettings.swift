import NIOCertificateReloading
import NIOSSL

/// The collector's TLS: a certificate chain and key from files and, when a
/// client CA is configured, mutual TLS with a client certificate required.
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

    /// The gRPC port's TLS with the certificate read once.
    public func grpcTLSContext() throws -> NIOSSLContext {
        try grpcTLSContext(certificate: reloadableCertificate())
    }

    /// The gRPC port's TLS, as grpc-swift-nio-transport would set it up:
    /// TLS 1.2 at least, HTTP/2 by ALPN. The certificate comes from
    /// `certificate`, so a reload reaches new handshakes; the client CA is
    /// read once.
    public func grpcTLSContext(certificate: ReloadableCertificate) throws -> NIOSSLContext {
        var configuration = try Self.configuration(certificate: certificate, applicationProtocols: ["grpc-exp", "h2"])
        if let clientCAPath {
            try TLSFileChecks.requireReadable(clientCAPath, role: "client CA")
            // Clients are identified by certificate, not by where they
            // connect from, so there is no hostname to check; on a server
            // this still means SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT.
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCAPath))
        }
        return try NIOSSLContext(configuration: configuration)
    }
}

extension ServerTLSSettings {
    /// The HTTP port's TLS (`http.tls: true`): the same certificate as gRPC,
    /// reloaded with it, HTTP/1.1 only. Browsers and the legacy clients
    /// present no client certificate, so none is asked for.
    public func httpTLSConfiguration(certificate: ReloadableCertificate) throws -> TLSConfiguration {
        try Self.configuration(certificate: certificate, applicationProtocols: ["http/1.1"])
    }

    /// Either port's TLS: at least 1.2, the protocol chosen by ALPN.
    private static func configuration(certificate: ReloadableCertificate, applicationProtocols: [String]) throws -> TLSConfiguration {
        var configuration = try TLSConfiguration.makeServerConfiguration(certificateReloader: certificate)
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = applicationProtocols
        return configuration
    }
}
