import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import X509

/// A certificate and the private key it certifies.
struct CertifiedKey {
    let key: P256.Signing.PrivateKey
    let certificate: Certificate

    /// Writes the key (mode 0600) and the certificate (mode 0644) to new
    /// files; on failure neither is left behind.
    func write(certificateTo certificatePath: String, keyTo keyPath: String) throws {
        try PEMFileWriter.create(keyPath, contents: key.pemRepresentation, mode: PEMFileWriter.privateKeyMode)
        do {
            try PEMFileWriter.create(certificatePath, contents: try certificate.serializeAsPEM().pemString,
                                     mode: PEMFileWriter.certificateMode)
        } catch {
            try? FileManager.default.removeItem(atPath: keyPath)
            throw error
        }
    }
}
