import GRPCNIOTransportHTTP2

/// How agents and collectorctl trust the collector, and how they prove who
/// they are for mutual TLS.
public struct ClientTLSSettings: Sendable, Equatable {
    /// PEM CA certificates to trust; nil for the system trust store.
    public var caPath: String?
    /// PEM client certificate for mutual TLS; needs `keyPath`.
    public var certificatePath: String?
    /// PEM client private key; must not be readable by group or others.
    public var keyPath: String?
    /// The name the server certificate must carry, when it differs from the
    /// target's host. It travels in the transport's config (SNI and
    /// `:authority`), not in the transport security, so it takes effect
    /// through ``makeClientTransport(target:tls:maxMessageBytes:)``.
    public var serverName: String?

    public init(caPath: String? = nil, certificatePath: String? = nil, keyPath: String? = nil,
                serverName: String? = nil) {
        self.caPath = caPath
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.serverName = serverName
    }

    /// Full verification of the server: its chain against the trust roots
    /// and its name (or, for an IP target without `serverName`, its IP)
    /// against the certificate's SANs. TLS 1.2 is the transport's minimum.
    public func transportSecurity() throws -> HTTP2ClientTransport.Posix.TransportSecurity {
        var tls = HTTP2ClientTransport.Posix.TransportSecurity.TLS.defaults
        tls.serverCertificateVerification = .fullVerification
        if let caPath {
            try TLSFileChecks.requireReadable(caPath, role: "CA certificate")
            tls.trustRoots = .certificates([.file(path: caPath, format: .pem)])
        } else {
            tls.trustRoots = .systemDefault
        }

        switch (certificatePath, keyPath) {
        case (nil, nil):
            break
        case (let certificatePath?, let keyPath?):
            try TLSFileChecks.requirePrivateKey(keyPath)
            try TLSFileChecks.requireReadable(certificatePath, role: "client certificate")
            tls.certificateChain = [.file(path: certificatePath, format: .pem)]
            tls.privateKey = .file(path: keyPath, format: .pem)
        default:
            throw TLSSetupError.incompleteClientIdentity(certificatePath: certificatePath, keyPath: keyPath)
        }
        return .tls(tls)
    }
}
