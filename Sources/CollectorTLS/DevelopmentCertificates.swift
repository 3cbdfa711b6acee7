import Crypto
import Foundation
import SwiftASN1
import X509

/// A development CA and a server certificate for localhost, 127.0.0.1 and
/// ::1, created once in a directory so a collector starts over TLS with no
/// set-up. Production configures its own certificate instead.
public struct DevelopmentCertificates: Sendable {
    public let caPath: String
    public let certificatePath: String
    public let keyPath: String
    /// True when this call created the files (the caller says so in its log).
    public let created: Bool

    static let files = (ca: "ca.pem", caKey: "ca-key.pem", certificate: "server.pem", key: "server-key.pem")

    public static func ensure(in directory: String) throws -> DevelopmentCertificates {
        let paths = Paths(directory)
        let existing = [paths.ca, paths.caKey, paths.certificate, paths.key].filter { FileManager.default.fileExists(atPath: $0) }
        if existing.count == 4 {
            return DevelopmentCertificates(caPath: paths.ca, certificatePath: paths.certificate, keyPath: paths.key, created: false)
        }
        guard existing.isEmpty else {
            throw TLSSetupError("\(directory) holds only part of the development TLS material (\(existing.joined(separator: ", "))); remove it or complete it")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let authority = try CertificateAuthority.create(commonName: "Collector development CA")
        let server = try authority.issue(commonName: "localhost", dnsNames: ["localhost"],
                                         ipAddresses: [[127, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
                                         usages: [.serverAuth, .clientAuth], years: 2)
        try PEMFile.write(server.key.pemRepresentation, to: paths.key, mode: 0o600)
        try PEMFile.write(try server.certificate.serializeAsPEM().pemString, to: paths.certificate, mode: 0o644)
        try PEMFile.write(authority.key.pemRepresentation, to: paths.caKey, mode: 0o600)
        try PEMFile.write(try authority.certificate.serializeAsPEM().pemString, to: paths.ca, mode: 0o644)
        return DevelopmentCertificates(caPath: paths.ca, certificatePath: paths.certificate, keyPath: paths.key, created: true)
    }

    /// A client certificate signed by the development CA in `caDirectory`,
    /// for mutual TLS.
    public static func issueClientCertificate(caDirectory: String, commonName: String, into directory: String) throws -> (certificatePath: String, keyPath: String) {
        let authority = try CertificateAuthority.load(from: Paths(caDirectory))
        return try writeClient(authority: authority, commonName: commonName, into: directory)
    }

    /// A CA unrelated to any collector, with a client certificate: what an
    /// intruder would present.
    public static func createStandaloneClient(commonName: String, in directory: String) throws -> (certificatePath: String, keyPath: String) {
        let authority = try CertificateAuthority.create(commonName: "Unrelated CA")
        return try writeClient(authority: authority, commonName: commonName, into: directory)
    }

    private static func writeClient(authority: CertificateAuthority, commonName: String, into directory: String) throws -> (certificatePath: String, keyPath: String) {
        let client = try authority.issue(commonName: commonName, dnsNames: [], ipAddresses: [], usages: [.clientAuth], years: 1)
        let base = (directory as NSString).appendingPathComponent("client-\(commonName)")
        try PEMFile.write(client.key.pemRepresentation, to: base + "-key.pem", mode: 0o600)
        try PEMFile.write(try client.certificate.serializeAsPEM().pemString, to: base + ".pem", mode: 0o644)
        return (base + ".pem", base + "-key.pem")
    }

    struct Paths {
        let ca, caKey, certificate, key: String

        init(_ directory: String) {
            func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
            ca = path(files.ca)
            caKey = path(files.caKey)
            certificate = path(files.certificate)
            key = path(files.key)
        }
    }
}

/// A CA key and certificate, able to sign leaf certificates.
struct CertificateAuthority {
    let key: P256.Signing.PrivateKey
    let certificate: Certificate

    static func create(commonName: String) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
            issuer: name, subject: name,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return CertificateAuthority(key: key, certificate: certificate)
    }

    static func load(from paths: DevelopmentCertificates.Paths) throws -> CertificateAuthority {
        let keyPEM = try String(contentsOfFile: paths.caKey, encoding: .utf8)
        let certificatePEM = try String(contentsOfFile: paths.ca, encoding: .utf8)
        return CertificateAuthority(key: try P256.Signing.PrivateKey(pemRepresentation: keyPEM),
                                    certificate: try Certificate(pemEncoded: certificatePEM))
    }

    func issue(commonName: String, dnsNames: [String], ipAddresses: [[UInt8]], usages: [ExtendedKeyUsage.Usage],
               years: Int) throws -> (key: P256.Signing.PrivateKey, certificate: Certificate) {
        let leafKey = P256.Signing.PrivateKey()
        let now = Date()
        let names = dnsNames.map { GeneralName.dnsName($0) } + ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(leafKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(Double(years) * 365 * 86400),
            issuer: self.certificate.subject, subject: try DistinguishedName { CommonName(commonName) },
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage(usages)
                if !names.isEmpty { SubjectAlternativeNames(names) }
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return (leafKey, certificate)
    }
}

enum PEMFile {
    static func write(_ text: String, to path: String, mode: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw TLSSetupError("cannot write \(path)")
        }
        // createFile keeps an existing file's mode: set it explicitly.
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }
}

public struct TLSSetupError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
