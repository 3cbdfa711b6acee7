#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import X509

/// What a certificate issued by the development CA is for.
struct LeafProfile {
    var commonName: String
    var dnsNames: [String]
    var ipAddresses: [String]
    var usages: [ExtendedKeyUsage.Usage]
    var lifetime: TimeInterval

    /// Every way a local client reaches a development collector: by name, or
    /// by IPv4 or IPv6 loopback (an IP target is checked against IP SANs).
    /// clientAuth too, so the same pair can stand in as a client in tests.
    static let localhostServer = LeafProfile(
        commonName: "localhost",
        dnsNames: ["localhost"],
        ipAddresses: ["127.0.0.1", "::1"],
        usages: [.serverAuth, .clientAuth],
        lifetime: CertificateLifetime.years(2)
    )

    static func client(commonName: String) -> LeafProfile {
        LeafProfile(commonName: commonName, dnsNames: [], ipAddresses: [], usages: [.clientAuth],
                    lifetime: CertificateLifetime.years(2))
    }
}

enum CertificateLifetime {
    /// Certificates start an hour in the past so a peer whose clock is a
    /// little behind does not see them as not yet valid.
    static let backdating: TimeInterval = 3600

    static func years(_ count: Int) -> TimeInterval {
        TimeInterval(count) * 365 * 24 * 3600
    }
}
