import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads an older event service's `access.json`: the tokens its clients
/// hold. Two shapes:
/// - the stats service's own file (apiaccesstoken's users): a list of
///   `{"username", "id", "name", "tokens": [{"access_token", "access_secret"}]}`,
///   every `access_token` taken under its user's `username`;
/// - a plain list of `{"token", "identity"}`.
/// Anything else is an error naming the entry, and nothing is imported.
enum AccessFile {
    struct Entry: Equatable {
        var token: String
        var identity: String
    }

    static func entries(from data: Data) throws -> [Entry] {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: data)
        } catch {
            throw CLIError("access file is not valid JSON (\(error.message))")
        }
        guard let list = json.array else {
            throw CLIError("access file must be a list of users ({\"username\", \"tokens\": [{\"access_token\", ...}]}) or of {\"token\", \"identity\"}")
        }
        var entries: [Entry] = []
        for (index, item) in list.enumerated() {
            guard let object = item.object else {
                throw CLIError("access file entry \(index) is not an object")
            }
            if let username = object["username"] {
                entries += try userTokens(object, username: username, index: index)
            } else if let token = object["token"] {
                guard let token = token.string, !token.isEmpty, let identity = object["identity"]?.string, !identity.isEmpty else {
                    throw CLIError("access file entry \(index): \"token\" and \"identity\" must be non-empty strings")
                }
                entries.append(Entry(token: token, identity: identity))
            } else {
                throw CLIError("access file entry \(index) is neither a user ({\"username\", \"tokens\"}) nor {\"token\", \"identity\"}")
            }
        }
        return entries
    }

    /// One apiaccesstoken user: each of its tokens under its username.
    private static func userTokens(_ user: [String: JSONValue], username: JSONValue, index: Int) throws -> [Entry] {
        guard let username = username.string, !username.isEmpty else {
            throw CLIError("access file entry \(index): \"username\" must be a non-empty string")
        }
        guard let tokens = user["tokens"]?.array else {
            throw CLIError("access file entry \(index) (user '\(username)'): \"tokens\" must be a list")
        }
        return try tokens.enumerated().map { position, token in
            guard let object = token.object, let text = object["access_token"]?.string, !text.isEmpty else {
                throw CLIError("access file entry \(index) (user '\(username)'): tokens[\(position)] has no \"access_token\"")
            }
            return Entry(token: text, identity: username)
        }
    }
}
