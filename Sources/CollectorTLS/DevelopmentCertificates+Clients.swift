#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DevelopmentCertificates {
    /// Issues a client certificate (clientAuth) signed by the CA in
    /// `caDirectory` (its `ca.pem` and `ca-key.pem`), for mutual TLS. Writes
    /// `client-<name>.pem` and `client-<name>-key.pem` into `directory`,
    /// replacing an earlier pair of the same name.
    public static func issueClientCertificate(caDirectory: String, commonName: String,
                                              into directory: String) throws -> (certificatePath: String, keyPath: String) {
        let files = DevelopmentFiles(directory: caDirectory)
        let authority = try CertificateAuthority.load(certificatePath: files.caCertificate, keyPath: files.caKey)
        let client = try authority.issue(.client(commonName: commonName))

        try createDirectoryIfMissing(directory)
        let base = directory.appendingPath("client-\(fileSafe(commonName))")
        let paths = (certificatePath: base + ".pem", keyPath: base + "-key.pem")
        // Re-issuing means a new key: the old pair goes, rather than failing
        // on the exclusive create.
        for path in [paths.certificatePath, paths.keyPath] { try? FileManager.default.removeItem(atPath: path) }
        try client.write(certificateTo: paths.certificatePath, keyTo: paths.keyPath)
        return paths
    }

    /// Creates a CA (`ca.pem`, `ca-key.pem`) in `directory` that has nothing
    /// to do with any collector's: pass `directory` to
    /// ``issueClientCertificate(caDirectory:commonName:into:)`` to get the
    /// client certificate an intruder would present.
    public static func createStandaloneCA(in directory: String) throws -> (caPath: String, caKeyPath: String) {
        let files = DevelopmentFiles(directory: directory)
        try createDirectoryIfMissing(directory)
        let authority = try CertificateAuthority.create(commonName: uniqueCommonName("Standalone CA"),
                                                        lifetime: CertificateLifetime.years(10))
        try authority.identity.write(certificateTo: files.caCertificate, keyTo: files.caKey)
        return (files.caCertificate, files.caKey)
    }
}

/// A common name as a file name component: anything but letters, digits,
/// '-', '_' and '.' becomes '_', so a name cannot point outside `directory`.
private func fileSafe(_ name: String) -> String {
    let safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" })
    return safe.isEmpty || safe.allSatisfy({ $0 == "." }) ? "_" : safe
}
