@testable import CollectorTLS
import Foundation
import NIOSSL
import CollectorModel
import Testing
import X509

/// Development certificates, key-file rules and the transport settings,
/// without a network: the handshakes themselves are in AuthTests.
@Suite("TLS material and settings")
final class TLSTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory("tls")
    }

    // MARK: - Development certificates

    @Test("ensure() creates the CA and server files once, keys 0600 and certificates 0644")
    func ensureCreatesFilesWithModes() throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)

        #expect(certificates.created)
        #expect(certificates.caPath == directory.file("ca.pem"))
        #expect(certificates.certificatePath == directory.file("server.pem"))
        #expect(certificates.keyPath == directory.file("server-key.pem"))
        #expect(try mode(of: directory.file("ca.pem")) == 0o644)
        #expect(try mode(of: directory.file("server.pem")) == 0o644)
        #expect(try mode(of: directory.file("ca-key.pem")) == 0o600)
        #expect(try mode(of: directory.file("server-key.pem")) == 0o600)
    }

    @Test("ensure() is idempotent: a second call rewrites nothing")
    func ensureIsIdempotent() throws {
        _ = try DevelopmentCertificates.ensure(in: directory.path)
        let names = ["ca.pem", "ca-key.pem", "server.pem", "server-key.pem"]
        let before = try names.map { try Data(contentsOf: URL(fileURLWithPath: directory.file($0))) }

        let again = try DevelopmentCertificates.ensure(in: directory.path)

        let after = try names.map { try Data(contentsOf: URL(fileURLWithPath: directory.file($0))) }
        #expect(!again.created)
        #expect(before == after)
    }

    @Test("ensure() creates a missing directory")
    func ensureCreatesDirectory() throws {
        let nested = directory.file("data/tls")
        let certificates = try DevelopmentCertificates.ensure(in: nested)
        #expect(certificates.created)
        #expect(FileManager.default.fileExists(atPath: certificates.caPath))
    }

    @Test("ensure() refuses a directory holding only some of the files")
    func ensureRefusesPartialMaterial() throws {
        _ = try DevelopmentCertificates.ensure(in: directory.path)
        try FileManager.default.removeItem(atPath: directory.file("server.pem"))

        #expect(throws: TLSSetupError.partialDevelopmentMaterial(
            directory: directory.path, present: ["ca.pem", "ca-key.pem", "server-key.pem"])) {
            try DevelopmentCertificates.ensure(in: directory.path)
        }
    }

    @Test("The CA is a P-256 CA that signs certificates and CRLs")
    func caExtensions() throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        let ca = try certificate(at: certificates.caPath)

        #expect(ca.issuer == ca.subject)
        #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try ca.extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(ca.signatureAlgorithm == .ecdsaWithSHA256)
        #expect(ca.notValidAfter.timeIntervalSinceNow > 9 * 365 * 86400)
    }

    @Test("The server certificate is issued by the CA for localhost, 127.0.0.1 and ::1, serverAuth")
    func serverCertificateContents() throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        let ca = try certificate(at: certificates.caPath)
        let server = try certificate(at: certificates.certificatePath)

        #expect(server.issuer == ca.subject)
        #expect(try server.extensions.basicConstraints == .notCertificateAuthority)
        let usages = try #require(try server.extensions.extendedKeyUsage)
        #expect(usages.contains(.serverAuth))
        let names = try #require(try server.extensions.subjectAlternativeNames)
        #expect(names.contains(.dnsName("localhost")))
        #expect(names.count == 3)
        let lifetime = server.notValidAfter.timeIntervalSince(server.notValidBefore)
        #expect(lifetime > 2 * 365 * 86400 && lifetime < 2 * 366 * 86400)
    }

    @Test("The server certificate verifies against the CA", arguments: [
        ("localhost", nil), (nil, "127.0.0.1"), (nil, "::1"),
    ] as [(String?, String?)])
    func serverCertificateVerifies(hostname: String?, ip: String?) async throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        let result = try await verify(certificates.certificatePath, against: certificates.caPath,
                                      hostname: hostname, ip: ip)
        #expect(result.isValid)
    }

    @Test("The server certificate does not verify for another name")
    func serverCertificateRejectsOtherNames() async throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        let result = try await verify(certificates.certificatePath, against: certificates.caPath,
                                      hostname: "collector.example.com", ip: nil)
        #expect(!result.isValid)
    }

    @Test("Client certificates verify against their own CA only")
    func clientCertificates() async throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        let trusted = try DevelopmentCertificates.issueClientCertificate(
            caDirectory: directory.path, commonName: "agent-1", into: directory.path)
        let standalone = try DevelopmentCertificates.createStandaloneCA(in: directory.file("intruder"))
        let untrusted = try DevelopmentCertificates.issueClientCertificate(
            caDirectory: directory.file("intruder"), commonName: "agent-1", into: directory.file("intruder"))

        #expect(try mode(of: trusted.keyPath) == 0o600)
        #expect(try mode(of: standalone.caKeyPath) == 0o600)
        let client = try certificate(at: trusted.certificatePath)
        #expect(try client.extensions.extendedKeyUsage?.contains(.clientAuth) == true)
        let trustedResult = try await verify(trusted.certificatePath, against: certificates.caPath)
        let untrustedResult = try await verify(untrusted.certificatePath, against: certificates.caPath)
        let standaloneResult = try await verify(untrusted.certificatePath, against: standalone.caPath)
        #expect(trustedResult.isValid)
        #expect(!untrustedResult.isValid)
        #expect(standaloneResult.isValid)
    }

    @Test("Re-issuing a client certificate replaces the pair")
    func reissueClientCertificate() throws {
        _ = try DevelopmentCertificates.ensure(in: directory.path)
        let first = try DevelopmentCertificates.issueClientCertificate(
            caDirectory: directory.path, commonName: "agent/1", into: directory.path)
        let firstKey = try String(contentsOfFile: first.keyPath, encoding: .utf8)
        let second = try DevelopmentCertificates.issueClientCertificate(
            caDirectory: directory.path, commonName: "agent/1", into: directory.path)

        #expect(first == second)
        #expect((first.certificatePath as NSString).lastPathComponent == "client-agent_1.pem")
        #expect(try String(contentsOfFile: second.keyPath, encoding: .utf8) != firstKey)
    }

    // MARK: - Key file modes

    @Test("A server key readable by group or others is refused, naming the file")
    func serverRefusesOpenKey() throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        try setMode(0o644, of: certificates.keyPath)
        let settings = ServerTLSSettings(certificatePath: certificates.certificatePath, keyPath: certificates.keyPath)

        let error = #expect(throws: TLSSetupError.keyFileTooOpen(path: certificates.keyPath, mode: 0o644)) {
            try settings.grpcTLSContext()
        }
        #expect(error?.description.contains(certificates.keyPath) == true)
    }

    @Test("A client key readable by others is refused too")
    func clientRefusesOpenKey() throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        let client = try DevelopmentCertificates.issueClientCertificate(
            caDirectory: directory.path, commonName: "agent-1", into: directory.path)
        try setMode(0o604, of: client.keyPath)
        let settings = ClientTLSSettings(caPath: certificates.caPath, certificatePath: client.certificatePath,
                                         keyPath: client.keyPath)

        #expect(throws: TLSSetupError.keyFileTooOpen(path: client.keyPath, mode: 0o604)) {
            try settings.transportSecurity()
        }
    }

    @Test("Server settings accept the generated files, with and without a client CA")
    func serverSettingsAcceptGoodFiles() throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        _ = try ServerTLSSettings(certificatePath: certificates.certificatePath, keyPath: certificates.keyPath)
            .grpcTLSContext()
        _ = try ServerTLSSettings(certificatePath: certificates.certificatePath, keyPath: certificates.keyPath,
                                  clientCAPath: certificates.caPath).grpcTLSContext()
    }

    @Test("A missing client CA file is named in the error")
    func serverSettingsMissingClientCA() throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        let missing = directory.file("nope.pem")
        let settings = ServerTLSSettings(certificatePath: certificates.certificatePath, keyPath: certificates.keyPath,
                                         clientCAPath: missing)
        let error = #expect(throws: TLSSetupError.self) { try settings.grpcTLSContext() }
        #expect(error?.description.contains(missing) == true)
    }

    @Test("A client certificate without its key is refused")
    func clientIdentityNeedsBothFiles() throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        let settings = ClientTLSSettings(caPath: certificates.caPath, certificatePath: certificates.certificatePath)
        #expect(throws: TLSSetupError.incompleteClientIdentity(certificatePath: certificates.certificatePath,
                                                               keyPath: nil)) {
            try settings.transportSecurity()
        }
    }

    // MARK: - NIOSSL accepts the files

    @Test("NIOSSL builds server, mTLS server and client contexts from the generated files")
    func nioSSLContexts() throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        let client = try DevelopmentCertificates.issueClientCertificate(
            caDirectory: directory.path, commonName: "agent-1", into: directory.path)
        let chain = try NIOSSLCertificate.fromPEMFile(certificates.certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(file: certificates.keyPath, format: .pem))

        _ = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: key))
        _ = try NIOSSLContext(configuration: .makeServerConfigurationWithMTLS(
            certificateChain: chain, privateKey: key, trustRoots: .file(certificates.caPath)))

        var clientConfiguration = TLSConfiguration.makeClientConfiguration()
        clientConfiguration.trustRoots = .file(certificates.caPath)
        clientConfiguration.certificateChain = try NIOSSLCertificate.fromPEMFile(client.certificatePath)
            .map { .certificate($0) }
        clientConfiguration.privateKey = .privateKey(try NIOSSLPrivateKey(file: client.keyPath, format: .pem))
        _ = try NIOSSLContext(configuration: clientConfiguration)
    }

    // MARK: - Client transport

    @Test("makeClientTransport builds TLS transports to IPv4, IPv6 and DNS targets")
    func clientTransport() throws {
        let certificates = try DevelopmentCertificates.ensure(in: directory.path)
        let tls = ClientTLSSettings(caPath: certificates.caPath, serverName: "localhost")
        for target in ["[::1]:7443", "localhost:7443", "127.0.0.1:7443"] {
            _ = try makeClientTransport(target: try HostPort(parsing: target), tls: tls, maxMessageBytes: 1 << 20)
        }
    }
}

// MARK: - Helpers

private func mode(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

private func setMode(_ mode: Int, of path: String) throws {
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
}

private func certificate(at path: String) throws -> Certificate {
    try Certificate(pemEncoded: String(contentsOfFile: path, encoding: .utf8))
}

private func verify(_ leafPath: String, against caPath: String, hostname: String? = nil,
                    ip: String? = nil) async throws -> CertificateValidationResult {
    let leaf = try certificate(at: leafPath)
    var verifier = Verifier(rootCertificates: CertificateStore([try certificate(at: caPath)])) {
        RFC5280Policy()
        if hostname != nil || ip != nil {
            ServerIdentityPolicy(serverHostname: hostname, serverIP: ip)
        }
    }
    return await verifier.validate(leaf: leaf, intermediates: CertificateStore())
}

extension CertificateValidationResult {
    fileprivate var isValid: Bool {
        if case .validCertificate = self { true } else { false }
    }
}
