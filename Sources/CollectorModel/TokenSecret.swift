import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A bearer token: `col_<id>_<secret>`. The id finds the stored record; the
/// secret, 160 random bits, is kept only as its SHA-256 and compared in
/// constant time. A fast hash is enough because the secret is random, not a
/// password someone chose.
public struct TokenSecret: Sendable, Equatable {
    public static let prefix = "col"

    public let id: String
    public let secret: String

    public var text: String { "\(Self.prefix)_\(id)_\(secret)" }

    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// A new token with a 64-bit id and a 160-bit secret.
    public static func generate() -> TokenSecret {
        TokenSecret(id: randomHex(bytes: 8), secret: randomHex(bytes: 20))
    }

    /// Parses a presented token; `nil` for anything not of our shape.
    public init?(parsing text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.prefix,
              parts[1].count == 16, parts[2].count == 40,
              parts[1].allSatisfy(\.isHexDigit), parts[2].allSatisfy(\.isHexDigit)
        else { return nil }
        self.init(id: String(parts[1]), secret: String(parts[2]))
    }

    /// A token Collector did not make (imported from an older tool's
    /// `access.json`): its id is derived from its hash, so it is found the
    /// same way and still stored only hashed.
    public static func imported(_ credential: String) -> TokenSecret {
        TokenSecret(id: "imp" + hash(of: credential).prefix(13), secret: credential)
    }

    /// Whatever was presented: our shape, or an imported token.
    public static func presented(_ credential: String) -> TokenSecret {
        TokenSecret(parsing: credential) ?? imported(credential)
    }

    public var hash: String { Self.hash(of: secret) }

    public static func hash(of secret: String) -> String {
        Hex.string(SHA256.hash(data: Data(secret.utf8)))
    }

    /// True when this token's secret hashes to `storedHash`, in time that does
    /// not depend on where the two differ.
    public func matches(storedHash: String) -> Bool {
        constantTimeEquals(Array(hash.utf8), Array(storedHash.utf8))
    }
}

public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}

public func randomHex(bytes count: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    return Hex.string((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
}

/// Lower-case hex, without Foundation's formatter: tokens are hashed on
/// every request.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
