#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a console user may do: viewers read every page; admins also change
/// instances, crawls and pools.
public enum UserRole: String, Sendable, CaseIterable, Codable {
    case viewer, admin

    public static func parse(_ text: String) throws(ValidationError) -> UserRole {
        guard let role = UserRole(rawValue: text) else {
            throw ValidationError(field: "role", "'\(text)' is not one of viewer, admin")
        }
        return role
    }
}

/// A person who signs in to the web console. The password is kept only as
/// `passwordHash` (see `PasswordHash` in the console module).
public struct UserRecord: Sendable, Equatable {
    public var name: String
    public var role: UserRole
    public var passwordHash: String
    public var created: Date
    public var passwordChanged: Date
    /// Sessions open now (filled in by listings).
    public var sessions: Int

    public init(name: String, role: UserRole, passwordHash: String, created: Date, passwordChanged: Date, sessions: Int = 0) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.created = created
        self.passwordChanged = passwordChanged
        self.sessions = sessions
    }

    /// Names are what people type at the login form: 1-64 letters, digits
    /// and `- _ . @`, so they never need escaping in a log line.
    public static func validName(_ name: String) throws(ValidationError) -> String {
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@".contains($0) }) else {
            throw ValidationError(field: "name", "must be 1-64 letters, digits, - _ . @")
        }
        return name
    }

    /// Long enough to resist guessing at the login's rate limit, short
    /// enough that hashing it stays cheap to refuse.
    public static func validPassword(_ password: String) throws(ValidationError) -> String {
        guard (8...1024).contains(password.count) else {
            throw ValidationError(field: "password", "must be 8-1024 characters")
        }
        return password
    }
}

/// A signed-in browser, stored server side: the cookie carries only the
/// session's secret, the store only its hash.
public struct SessionRecord: Sendable, Equatable {
    public var idHash: String
    public var userName: String
    /// The token every state-changing form of this session must carry.
    public var csrfToken: String
    public var created: Date
    public var expires: Date

    public init(idHash: String, userName: String, csrfToken: String, created: Date, expires: Date) {
        self.idHash = idHash
        self.userName = userName
        self.csrfToken = csrfToken
        self.created = created
        self.expires = expires
    }
}
