import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A development CA and a server certificate for localhost, 127.0.0.1 and
/// ::1, created once in a directory so a collector can start over TLS with no
/// set-up. Production configures its own certificate instead.
///
/// Layout: `ca.pem`, `ca-key.pem`, `server.pem`, `server-key.pem`; keys mode
/// 0600, certificates 0644.
public struct DevelopmentCertificates: Sendable, Equatable {
    /// The CA certificate clients trust (`ca.pem`).
    public let caPath: String
    /// The server certificate (`server.pem`).
    public let certificatePath: String
    /// The server's private key (`server-key.pem`).
    public let keyPath: String
    /// True when this call created the files, so the caller can log where
    /// the new CA is; false when they already existed and were left alone.
    public let created: Bool

    /// Returns the development certificates in `directory`, creating them
    /// first if none exist. Existing files are never rewritten: clients
    /// already trust that CA. Some-but-not-all present is an error rather
    /// than a silent re-creation, for the same reason.
    public static func ensure(in directory: String) throws -> DevelopmentCertificates {
        let files = DevelopmentFiles(directory: directory)
        let present = files.all.filter { FileManager.default.fileExists(atPath: $0) }
        if present.count == files.all.count {
            return DevelopmentCertificates(files: files, created: false)
        }
        guard present.isEmpty else {
            throw TLSSetupError.partialDevelopmentMaterial(directory: directory,
                                                           present: present.map(\.lastPathPart))
        }
        try createDirectoryIfMissing(directory)

        let authority = try CertificateAuthority.create(commonName: uniqueCommonName("Collector development CA"),
                                                        lifetime: CertificateLifetime.years(10))
        let server = try authority.issue(.localhostServer)
        try server.write(certificateTo: files.serverCertificate, keyTo: files.serverKey)
        do {
            try authority.identity.write(certificateTo: files.caCertificate, keyTo: files.caKey)
        } catch {
            // Remove only what this call wrote (a concurrent start may own
            // the CA files), so the next start tries afresh instead of
            // reporting partial material.
            for path in [files.serverCertificate, files.serverKey] { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
        return DevelopmentCertificates(files: files, created: true)
    }

    private init(files: DevelopmentFiles, created: Bool) {
        caPath = files.caCertificate
        certificatePath = files.serverCertificate
        keyPath = files.serverKey
        self.created = created
    }
}

/// Where the development CA and server files live inside a directory.
struct DevelopmentFiles {
    let caCertificate: String
    let caKey: String
    let serverCertificate: String
    let serverKey: String

    init(directory: String) {
        func path(_ name: String) -> String { directory.appendingPath(name) }
        caCertificate = path("ca.pem")
        caKey = path("ca-key.pem")
        serverCertificate = path("server.pem")
        serverKey = path("server-key.pem")
    }

    var all: [String] { [caCertificate, caKey, serverCertificate, serverKey] }
}

func createDirectoryIfMissing(_ directory: String) throws {
    guard !FileManager.default.fileExists(atPath: directory) else { return }
    do {
        // Private by default: the directory will hold CA and server keys.
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    } catch {
        throw TLSSetupError.cannotWriteFile(path: directory, reason: error.fileSystemReason)
    }
}

/// Two development CAs with the same name would confuse anyone (and any
/// chain builder) holding both, so each gets a random suffix.
func uniqueCommonName(_ base: String) -> String {
    "\(base) \(RandomID.hex().prefix(8))"
}
