#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCertificateReloading
import NIOSSL
import Synchronization
import X509

/// The server certificate and key, read again on `reload()` (SIGHUP) so a
/// renewed certificate reaches new connections without dropping the
/// streams agents already have open. A reload that finds a broken pair
/// keeps serving the previous one.
public final class ReloadableCertificate: CertificateReloader, Sendable {
    public struct Files: Sendable, Equatable {
        public var certificatePath: String
        public var keyPath: String

        public init(certificatePath: String, keyPath: String) {
            self.certificatePath = certificatePath
            self.keyPath = keyPath
        }
    }

    private struct Loaded: Sendable {
        var files: Files
        var override: NIOSSLContextConfigurationOverride
    }

    private let loaded: Mutex<Loaded>

    public init(_ files: Files) throws {
        loaded = Mutex(Loaded(files: files, override: try Self.read(files)))
    }

    public var sslContextConfigurationOverride: NIOSSLContextConfigurationOverride {
        loaded.withLock { $0.override }
    }

    public var files: Files { loaded.withLock { $0.files } }

    /// Reads `files` (the current ones when nil) and uses them for new
    /// handshakes; throws, changing nothing, when they do not make a pair.
    public func reload(_ files: Files? = nil) throws {
        let files = files ?? self.files
        let override = try Self.read(files)
        loaded.withLock { $0 = Loaded(files: files, override: override) }
    }

    private static func read(_ files: Files) throws -> NIOSSLContextConfigurationOverride {
        try TLSFileChecks.requirePrivateKey(files.keyPath)
        try TLSFileChecks.requireReadable(files.certificatePath, role: "certificate")
        func parse<T>(_ path: String, _ body: (String) throws -> T) throws -> T {
            do {
                return try body(try String(contentsOfFile: path, encoding: .utf8))
            } catch {
                throw TLSSetupError.invalidPEM(path: path, reason: "\(error)")
            }
        }
        let (leaf, chain) = try parse(files.certificatePath) { text in
            (try Certificate(pemEncoded: text), try NIOSSLCertificate.fromPEMBytes(Array(text.utf8)))
        }
        let (key, sslKey) = try parse(files.keyPath) { text in
            (try Certificate.PrivateKey(pemEncoded: text), try NIOSSLPrivateKey(bytes: Array(text.utf8), format: .pem))
        }
        // A key that does not belong to the leaf would fail every handshake
        // after the swap; refuse it here, where the operator sees why.
        guard leaf.publicKey == key.publicKey else {
            throw TLSSetupError.keyDoesNotMatchCertificate(certificate: files.certificatePath, key: files.keyPath)
        }
        var override = NIOSSLContextConfigurationOverride()
        override.certificateChain = chain.map { .certificate($0) }
        override.privateKey = .privateKey(sslKey)
        return override
    }
}
