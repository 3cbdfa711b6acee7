import Foundation

/// Reads an older event service's `access.json`: the tokens its clients hold
/// (Mozilla tokenlib tokens, whose signed payload names an identity).
/// Accepted shapes: a list of tokens; a list of `{"token", "identity"}`;
/// an object mapping identity to token or token to identity.
enum AccessFile {
    struct Entry: Equatable {
        var token: String
        var identity: String
    }

    static func entries(from data: Data) throws -> [Entry] {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CLIError("access file is not valid JSON")
        }
        if let list = json as? [Any] {
            return try list.enumerated().map { index, item in
                if let token = item as? String { return Entry(token: token, identity: identity(inToken: token) ?? "imported") }
                if let object = item as? [String: Any], let token = object["token"] as? String {
                    return Entry(token: token, identity: object["identity"] as? String ?? identity(inToken: token) ?? "imported")
                }
                throw CLIError("access file entry \(index) is neither a token nor {\"token\", \"identity\"}")
            }
        }
        if let object = json as? [String: Any] {
            if let tokens = object["tokens"] { return try entries(from: JSONSerialization.data(withJSONObject: tokens)) }
            return try object.sorted { $0.key < $1.key }.map { key, value in
                guard let value = value as? String else { throw CLIError("access file value for '\(key)' is not a string") }
                // Whichever side is a tokenlib token is the token.
                if identity(inToken: key) != nil && identity(inToken: value) == nil { return Entry(token: key, identity: value) }
                return Entry(token: value, identity: key)
            }
        }
        throw CLIError("access file must hold a list or an object")
    }

    /// The identity inside a tokenlib token: base64url of a JSON payload
    /// followed by a 64-byte HMAC-SHA512 signature.
    static func identity(inToken token: String) -> String? {
        var text = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let bytes = Data(base64Encoded: text), bytes.count > 64,
              let payload = try? JSONSerialization.jsonObject(with: bytes.prefix(bytes.count - 64)) as? [String: Any]
        else { return nil }
        return (payload["identity"] ?? payload["userid"] ?? payload["uid"]).map { "\($0)" }
    }
}
