import CollectorServer
import CollectorStore
import Foundation
import Logging

/// A real PostgreSQL server for this test process: one throw-away cluster on
/// loopback (`scripts/postgres-server`, which installs Debian's postgresql
/// when it is missing), started at the first use and stopped by its
/// watchdog when the process ends. Each test gets a database of its own.
enum PostgresServer {
    struct Cluster: Sendable {
        let directory: String
        let url: String
        let password: String
        var rootCertificate: String { directory + "/ca.pem" }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Started once; a failure to start fails every test that needs it.
    static let cluster: Result<Cluster, any Error> = Result { try start("/tmp/collector-test-postgres-\(getpid())") }

    /// A cluster of the caller's own (a test that stops its server must not
    /// stop everyone's), removed when this process ends or by `stop`.
    static func start(_ directory: String) throws -> Cluster {
        let url = try command("\(repository)/scripts/postgres-server", ["start", directory, "--owner-pid", "\(getpid())"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let password = try String(contentsOfFile: directory + "/password", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return Cluster(directory: directory, url: url, password: password)
    }

    /// `pause`, `resume` or `stop` a cluster (`scripts/postgres-server`).
    static func control(_ verb: String, _ cluster: Cluster) throws {
        try command("\(repository)/scripts/postgres-server", [verb, cluster.directory])
    }

    /// A new empty database on the cluster, reached over TLS with the
    /// cluster's certificate checked.
    static func freshDatabase(on own: Cluster? = nil) throws -> (location: PostgresLocation, password: String, cluster: Cluster) {
        let cluster = try own ?? cluster.get()
        let name = "t_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        _ = try command("/usr/bin/psql", [cluster.url, "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE \(name)"],
                        environment: ["PGPASSWORD": cluster.password])
        var location = try PostgresLocation(url: "\(cluster.url)?sslmode=verify-full&sslrootcert=\(cluster.rootCertificate)")
        location.database = name
        return (location, cluster.password, cluster)
    }

    /// A collector's configuration on a new database of the cluster: its
    /// URL in `store`, its password in a file beside the test's files.
    static func collectorConfig(_ base: CollectorConfig = RunningCollector.testConfig, passwordFile: String,
                                on cluster: Cluster? = nil) throws -> CollectorConfig {
        let database = try freshDatabase(on: cluster)
        guard FileManager.default.createFile(atPath: passwordFile, contents: Data((database.password + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600])
        else { throw CommandFailure(description: "cannot write \(passwordFile)") }
        var config = base
        let location = database.location
        config.store = "postgres://\(location.user)@\(location.host):\(location.port)/\(location.database)"
            + "?sslmode=verify-full&sslrootcert=\(database.cluster.rootCertificate)"
        config.storePasswordFile = passwordFile
        return config
    }

    /// Two stores on one new database, as two collectors share it.
    static func withTwoStores<T>(_ body: (PostgresStore, PostgresStore) async throws -> T) async throws -> T {
        let database = try freshDatabase()
        return try await withStore(database.location, password: database.password) { first in
            try await withStore(database.location, password: database.password) { second in try await body(first, second) }
        }
    }

    /// Runs a store for the length of `body`, its schema migrated.
    static func withStore<T>(_ location: PostgresLocation, password: String,
                             _ body: (PostgresStore) async throws -> T) async throws -> T {
        let store = PostgresStore(location: location, password: password, logger: Logger(label: "test.postgres"))
        let running = Task { await store.run() }
        defer { running.cancel() }
        try await store.migrate()
        return try await body(store)
    }

    struct CommandFailure: Error, CustomStringConvertible {
        let description: String
    }

    @discardableResult
    static func command(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws(CommandFailure) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw CommandFailure(description: "\(path): \(error)") }
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let problems = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(description: "\(path) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
                                 + String(decoding: problems, as: UTF8.self))
        }
        return String(decoding: text, as: UTF8.self)
    }
}
