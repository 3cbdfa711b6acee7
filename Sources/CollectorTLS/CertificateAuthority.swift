import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1
import X509

/// A CA key and certificate that can sign leaf certificates.
struct CertificateAuthority {
    /// The CA's own certificate and key.
    let identity: CertifiedKey

    var certificate: Certificate { identity.certificate }

    /// A self-signed P-256 CA that may sign leaves only (path length 0).
    static func create(commonName: String, lifetime: TimeInterval, now: Date = Date()) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let name = try DistinguishedName { CommonName(commonName) }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: now - CertificateLifetime.backdating,
            notValidAfter: now + lifetime,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return CertificateAuthority(identity: CertifiedKey(key: key, certificate: certificate))
    }

    static func load(certificatePath: String, keyPath: String) throws -> CertificateAuthority {
        try TLSFileChecks.requirePrivateKey(keyPath)
        let certificate: Certificate
        let key: P256.Signing.PrivateKey
        do {
            certificate = try Certificate(pemEncoded: try String(contentsOfFile: certificatePath, encoding: .utf8))
        } catch {
            throw TLSSetupError.invalidPEM(path: certificatePath, reason: "\(error)")
        }
        do {
            key = try P256.Signing.PrivateKey(pemRepresentation: try String(contentsOfFile: keyPath, encoding: .utf8))
        } catch {
            throw TLSSetupError.invalidPEM(path: keyPath, reason: "\(error)")
        }
        return CertificateAuthority(identity: CertifiedKey(key: key, certificate: certificate))
    }

    func issue(_ profile: LeafProfile, now: Date = Date()) throws -> CertifiedKey {
        let leafKey = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(leafKey.publicKey)
        let alternativeNames = try subjectAlternativeNames(for: profile)
        let authorityKeyID = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
        let leaf = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: now - CertificateLifetime.backdating,
            notValidAfter: now + profile.lifetime,
            issuer: certificate.subject,
            subject: try DistinguishedName { CommonName(profile.commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                // ECDSA keys only sign; keyEncipherment would be meaningless.
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage(profile.usages)
                SubjectKeyIdentifier(hash: publicKey)
                if let authorityKeyID {
                    AuthorityKeyIdentifier(keyIdentifier: authorityKeyID)
                }
                if !alternativeNames.isEmpty {
                    SubjectAlternativeNames(alternativeNames)
                }
            },
            issuerPrivateKey: Certificate.PrivateKey(identity.key)
        )
        return CertifiedKey(key: leafKey, certificate: leaf)
    }

    private func subjectAlternativeNames(for profile: LeafProfile) throws -> [GeneralName] {
        let ipNames = try profile.ipAddresses.map { text in
            guard let bytes = IPAddressBytes.ipv4(text) ?? IPAddressBytes.ipv6(text) else {
                throw TLSSetupError.invalidTarget(text, reason: "not an IP address")
            }
            return GeneralName.ipAddress(ASN1OctetString(contentBytes: bytes[...]))
        }
        return profile.dnsNames.map(GeneralName.dnsName) + ipNames
    }
}
