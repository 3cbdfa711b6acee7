import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL store lives: `postgres://user@host:5432/db?sslmode=verify-full`,
/// as libpq spells it. The password never sits in the URL: the URL is in the
/// config file and in log lines, so it comes from a file or the environment.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// libpq's modes, minus the ones that fall back to plaintext silently
    /// (`allow`, `prefer`): a store that was meant to be encrypted and is not
    /// must fail, not carry on.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable
        /// Encrypted, the server not checked.
        case require
        /// Encrypted, the server's certificate checked against the roots.
        case verifyCA = "verify-ca"
        /// The same, and the certificate names the host.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var tlsMode: TLSMode
    /// PEM roots for `verify-ca` and `verify-full`; the system's when nil.
    public var rootCertificates: String?

    /// Parses the URL. A default (libpq's) for what is left out: port 5432,
    /// the database named after the user, and `verify-full`, since the store
    /// holds token hashes and contact details.
    public init(url text: String) throws(PostgresLocationError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw .invalid("'\(text)' is not a postgres:// URL")
        }
        guard url.password == nil else {
            throw .invalid("the store URL carries a password; give it in store_password_file or COLLECTOR_STORE_PASSWORD instead, so it stays out of the config and the logs")
        }
        guard let user = url.user, !user.isEmpty else { throw .invalid("the store URL names no user (postgres://USER@host/db)") }
        guard let host = url.host, !host.isEmpty else { throw .invalid("the store URL names no host") }
        self.user = user
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        port = url.port ?? 5432
        guard (1...65535).contains(port) else { throw .invalid("the store URL's port \(port) is out of range") }
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = path.isEmpty ? user : path
        tlsMode = .verifyFull
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw .invalid("sslmode '\(item.value ?? "")' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tlsMode = mode
            case "sslrootcert":
                rootCertificates = item.value
            default:
                throw .invalid("unknown store URL parameter '\(item.name)' (known: sslmode, sslrootcert)")
            }
        }
    }

    /// The URL without any secret, for logs and `/readyz`.
    public var description: String {
        "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
    }

    /// The client's configuration, with the password read now.
    func clientConfiguration(password: String?, maximumConnections: Int) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: tls())
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    private func tls() -> PostgresClient.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable: return .disable
        case .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let rootCertificates { configuration.trustRoots = .file(rootCertificates) }
        return .require(configuration)
    }
}

public enum PostgresLocationError: Error, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let reason): "store: \(reason)"
        }
    }
}

/// Where the store's password comes from: a file (trailing newline dropped)
/// or the environment, checked in that order.
public enum PostgresPassword {
    public static let environmentVariable = "COLLECTOR_STORE_PASSWORD"

    public static func read(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw PostgresLocationError.invalid("cannot read the password file \(file)")
            }
            var text = String(decoding: data, as: UTF8.self)
            while text.last == "\n" || text.last == "\r" { text.removeLast() }
            return text
        }
        return environment[environmentVariable]
    }
}
