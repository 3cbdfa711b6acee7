import CollectorModel
import CollectorStore
import CollectorTLS
import Foundation
import Logging

/// The collector's data directory: the database, the development TLS
/// material and the bootstrap admin token, all owner-only.
struct DataDirectory {
    let path: String

    func prepare() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    var adminTokenPath: String { (path as NSString).appendingPathComponent("admin.token") }

    /// On first start, when no token exists yet, creates an admin token and
    /// writes it to `admin.token` (0600): the operator's way in.
    func bootstrapAdminToken(store: any Store, logger: Logger) async throws {
        guard try await store.tokens().isEmpty else { return }
        let (record, secret) = try TokenIssuer.issue(name: "bootstrap-admin", scopes: ["admin", "read", "aggregate"], site: nil)
        let file = adminTokenPath
        guard FileManager.default.createFile(atPath: file, contents: Data((secret.text + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600])
        else { throw ConfigError("cannot write \(file)") }
        try await store.insertToken(record)
        logger.notice("wrote the bootstrap admin token", metadata: ["path": "\(file)", "token_id": "\(record.id)"])
    }

    /// The server's TLS settings: the configured files, or a development CA
    /// and certificate created here once.
    func tlsSettings(_ section: CollectorConfig.TLSSection, logger: Logger) throws -> ServerTLSSettings {
        if let certificate = section.certificate, let key = section.key {
            return ServerTLSSettings(certificatePath: certificate, keyPath: key, clientCAPath: section.clientCA)
        }
        let development = try DevelopmentCertificates.ensure(in: path)
        if development.created {
            logger.notice("created a development CA and server certificate for localhost, 127.0.0.1 and ::1",
                          metadata: ["ca": "\(development.caPath)", "certificate": "\(development.certificatePath)"])
        } else {
            logger.info("using the development certificate", metadata: ["ca": "\(development.caPath)"])
        }
        return ServerTLSSettings(certificatePath: development.certificatePath, keyPath: development.keyPath,
                                 clientCAPath: section.clientCA)
    }
}
