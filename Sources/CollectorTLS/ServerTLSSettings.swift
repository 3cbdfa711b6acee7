import Foundation
import GRPCNIOTransportHTTP2

/// The collector's TLS: a certificate chain and key from files and, when a
/// client CA is configured, mutual TLS (a client certificate is required).
/// The transport itself refuses anything below TLS 1.2.
public struct ServerTLSSettings: Sendable, Equatable {
    public var certificatePath: String
    public var keyPath: String
    public var clientCAPath: String?

    public init(certificatePath: String, keyPath: String, clientCAPath: String? = nil) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.clientCAPath = clientCAPath
    }

    public func transportSecurity() throws -> HTTP2ServerTransport.Posix.TransportSecurity {
        try KeyFile.checkMode(keyPath)
        for path in [certificatePath, keyPath] + (clientCAPath.map { [$0] } ?? []) where !FileManager.default.isReadableFile(atPath: path) {
            throw TLSSetupError("cannot read \(path)")
        }
        let chain: [TLSConfig.CertificateSource] = [.file(path: certificatePath, format: .pem)]
        let key: TLSConfig.PrivateKeySource = .file(path: keyPath, format: .pem)
        guard let clientCAPath else {
            return .tls(certificateChain: chain, privateKey: key)
        }
        return .mTLS(certificateChain: chain, privateKey: key) { config in
            config.clientCertificateVerification = .noHostnameVerification
            config.trustRoots = .certificates([.file(path: clientCAPath, format: .pem)])
        }
    }
}

enum KeyFile {
    /// A private key readable by group or others is refused: it may already
    /// have leaked, and a service that starts anyway hides that.
    static func checkMode(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw TLSSetupError("cannot read key file \(path)") }
        guard info.st_mode & 0o077 == 0 else {
            throw TLSSetupError("key file \(path) is readable by group or others (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it")
        }
    }
}
