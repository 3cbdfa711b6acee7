import GRPCNIOTransportHTTP2

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

    /// Checks the files (key mode first) and describes them to the
    /// transport, which reads them when the server starts.
    public func transportSecurity() throws -> HTTP2ServerTransport.Posix.TransportSecurity {
        try TLSFileChecks.requirePrivateKey(keyPath)
        try TLSFileChecks.requireReadable(certificatePath, role: "certificate")
        let chain: [TLSConfig.CertificateSource] = [.file(path: certificatePath, format: .pem)]
        let key: TLSConfig.PrivateKeySource = .file(path: keyPath, format: .pem)

        guard let clientCAPath else {
            return .tls(certificateChain: chain, privateKey: key)
        }
        try TLSFileChecks.requireReadable(clientCAPath, role: "client CA")
        return .mTLS(certificateChain: chain, privateKey: key) { config in
            // Clients are identified by certificate, not by where they
            // connect from, so there is no hostname to check.
            config.clientCertificateVerification = .noHostnameVerification
            config.trustRoots = .certificates([.file(path: clientCAPath, format: .pem)])
        }
    }
}
