/// Why TLS material could not be created or used. Every case names the file
/// or value involved: these errors end up in a startup log, and "TLS failed"
/// alone sends an operator hunting.
public enum TLSSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A private key file that group or others may read.
    case keyFileTooOpen(path: String, mode: Int)
    /// A file that is missing or that this process may not read.
    case unreadableFile(path: String, role: String, reason: String)
    /// A certificate without its key, or a key without its certificate.
    case incompleteClientIdentity(certificatePath: String?, keyPath: String?)
    /// Some, but not all, of the development CA files exist.
    case partialDevelopmentMaterial(directory: String, present: [String])
    /// A certificate or key could not be written.
    case cannotWriteFile(path: String, reason: String)
    /// A certificate or key file that does not parse.
    case invalidPEM(path: String, reason: String)
    /// A certificate and a key that do not make a pair.
    case keyDoesNotMatchCertificate(certificate: String, key: String)
    /// A connection target that is not `host:port` or `[ipv6]:port`.
    case invalidTarget(String, reason: String)

    public var description: String {
        switch self {
        case .keyFileTooOpen(let path, let mode):
            "private key \(path) is readable by group or others (mode \(String(mode, radix: 8))); run: chmod 600 \(path)"
        case .unreadableFile(let path, let role, let reason):
            "cannot read \(role) \(path): \(reason)"
        case .incompleteClientIdentity(let certificatePath, let keyPath):
            "a client certificate needs both a certificate and a key (certificate: \(certificatePath ?? "none"), key: \(keyPath ?? "none"))"
        case .partialDevelopmentMaterial(let directory, let present):
            "\(directory) holds only part of the development TLS files (\(present.joined(separator: ", "))); remove them to have all four created again"
        case .cannotWriteFile(let path, let reason):
            "cannot write \(path): \(reason)"
        case .invalidPEM(let path, let reason):
            "\(path) is not a usable PEM file: \(reason)"
        case .keyDoesNotMatchCertificate(let certificate, let key):
            "private key \(key) does not belong to the certificate in \(certificate)"
        case .invalidTarget(let target, let reason):
            "invalid target '\(target)': \(reason) (expected host:port or [ipv6]:port)"
        }
    }
}
