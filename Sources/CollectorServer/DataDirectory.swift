import CollectorModel
import CollectorStore
import CollectorTLS
import Foundation
import Logging
import ServiceSupport

/// The collector's data directory: the database, the development TLS
/// material and the bootstrap admin token, all owner-only.
public struct DataDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

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

/// An exclusive `flock` on `collector.lock` in the data directory: the
/// kernel drops it when the process dies, so a crash never leaves it stale.
public final class DataDirectoryLock: Sendable {
    let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    public func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

extension DataDirectory {
    var lockPath: String { (path as NSString).appendingPathComponent("collector.lock") }

    /// Takes the lock, or says which process holds it.
    public func lock() throws -> DataDirectoryLock {
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ConfigError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: lockPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            close(descriptor)
            throw ConfigError("a collector (pid \(holder)) is using \(path); stop it first")
        }
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        return DataDirectoryLock(descriptor: descriptor)
    }

    /// Replaces the database with a backup: refused while a collector runs
    /// here or when the backup is not a sound Collector database. The old
    /// database is kept beside it, renamed, never deleted.
    public func restore(from backup: String) throws -> String? {
        let lock = try lock()
        defer { lock.release() }
        do {
            try SQLiteStore.verify(path: backup)
        } catch {
            throw ConfigError("\(backup): \(error)")
        }
        let manager = FileManager.default
        let database = (path as NSString).appendingPathComponent("collector.sqlite")
        let incoming = database + ".restoring"
        try? manager.removeItem(atPath: incoming)
        try manager.copyItem(atPath: backup, toPath: incoming)
        chmod(incoming, 0o600)
        try DurableFile.sync(incoming)
        var kept: String?
        if manager.fileExists(atPath: database) {
            let stamp = Int(Date().timeIntervalSince1970)
            kept = database + ".before-restore-\(stamp)"
            try manager.moveItem(atPath: database, toPath: kept ?? database)
        }
        // The old WAL belongs to the old database; left in place it would be
        // replayed into the restored one.
        for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: database + suffix) }
        guard rename(incoming, database) == 0 else { throw ConfigError("cannot move the restored database into place") }
        try DurableFile.sync(path)
        return kept
    }
}

extension DataDirectory {
    /// Moves this directory's database into an empty PostgreSQL
    /// (`collector migrate-store`): refused while a collector runs here,
    /// and when the target already holds data. The SQLite file is left as
    /// it was, so the old deployment can start again unchanged.
    public func migrateStore(to url: String, passwordFile: String?, logger: Logger) async throws -> [StoreMigration.TableReport] {
        let lock = try lock()
        defer { lock.release() }
        let database = (path as NSString).appendingPathComponent("collector.sqlite")
        guard FileManager.default.fileExists(atPath: database) else { throw ConfigError("\(path) holds no collector.sqlite to move") }
        let location: PostgresLocation
        do {
            location = try PostgresLocation(url: url)
        } catch {
            throw ConfigError("\(error)")
        }
        let source = try SQLiteStore(path: database)
        let target = PostgresStore(location: location, password: try PostgresPassword.read(file: passwordFile), logger: logger)
        let connections = Task { await target.run() }
        defer { connections.cancel() }
        return try await StoreMigration.run(from: source, to: target)
    }
}
