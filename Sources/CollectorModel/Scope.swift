/// What a token may do. An `ingest` token is bound to one site.
public enum Scope: String, Sendable, CaseIterable, Codable, Comparable {
    case ingest
    case read
    case aggregate
    case admin

    public static func < (lhs: Scope, rhs: Scope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a list of scope names, rejecting unknown ones by name.
    public static func parse(_ names: [String]) throws(ValidationError) -> Set<Scope> {
        var scopes = Set<Scope>()
        for name in names {
            guard let scope = Scope(rawValue: name.lowercased()) else {
                throw ValidationError(field: "scope", "unknown scope '\(name)'; expected one of \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            scopes.insert(scope)
        }
        guard !scopes.isEmpty else { throw ValidationError(field: "scope", "at least one scope is required") }
        return scopes
    }
}
