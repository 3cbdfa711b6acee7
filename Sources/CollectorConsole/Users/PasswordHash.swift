import CollectorModel
import Crypto
import CryptoExtras
import Foundation
import NIOPosix

/// Console passwords, stored as PBKDF2-SHA256 with a per-user random salt:
/// `pbkdf2-sha256$ROUNDS$SALT$KEY` (salt and key in hex). 600,000 rounds is
/// OWASP's figure for PBKDF2-SHA256; the rounds are stored, so a later
/// increase still verifies older hashes.
public enum PasswordHash {
    public static let rounds = 600_000
    static let scheme = "pbkdf2-sha256"
    static let keyBytes = 32

    /// Hashes on NIO's blocking pool: about a third of a second of CPU
    /// that must not hold a cooperative thread.
    public static func make(_ password: String) async throws -> String {
        let salt = randomHex(bytes: 16)
        let key = try await derive(password, salt: Array(salt.utf8), rounds: rounds)
        return [scheme, String(rounds), salt, Hex.string(key)].joined(separator: "$")
    }

    /// True when `password` is the one `stored` was made from. A malformed
    /// stored hash verifies nothing.
    public static func verify(_ password: String, against stored: String) async throws -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == scheme, let rounds = Int(parts[1]), (1...10_000_000).contains(rounds) else { return false }
        let key = try await derive(password, salt: Array(parts[2].utf8), rounds: rounds)
        return constantTimeEquals(Array(Hex.string(key).utf8), Array(parts[3].utf8))
    }

    static func derive(_ password: String, salt: [UInt8], rounds: Int) async throws -> [UInt8] {
        try await NIOThreadPool.singleton.runIfActive {
            let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha256,
                                                        outputByteCount: keyBytes, unsafeUncheckedRounds: rounds)
            return key.withUnsafeBytes { Array($0) }
        }
    }
}
