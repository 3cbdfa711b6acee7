/// InfluxQL's lexical tokens, in InfluxDB's order and with its names: parse
/// errors print these names (`found FROMM, expected FROM`), so they are part
/// of the answer clients see.
public enum Token: Int, Sendable, Hashable, Comparable {
    case illegal, eof, ws, comment
    case literalBegin
    case ident, boundParam, number, integer, durationValue, string, badString, badEscape, `true`, `false`, regex, badRegex
    case literalEnd
    case operatorBegin
    case add, sub, mul, div, mod, bitwiseAnd, bitwiseOr, bitwiseXor
    case and, or
    case eq, neq, eqRegex, neqRegex, lt, lte, gt, gte
    case operatorEnd
    case lparen, rparen, comma, colon, doubleColon, semicolon, dot
    case keywordBegin
    case all, alter, analyze, any, `as`, asc, begin, by, cardinality, create, continuous, database, databases
    case `default`, delete, desc, destinations, diagnostics, distinct, drop, duration, end, every, exact, explain
    case field, `for`, from, grant, grants, group, groups, `in`, inf, insert, into, key, keys, kill, limit
    case measurement, measurements, name, offset, on, order, password, policy, policies, privileges, queries
    case query, read, replication, resample, retention, revoke, select, series, set, show, shard, shards
    case slimit, soffset, stats, subscription, subscriptions, tag, to, user, users, values, `where`, with, write
    case keywordEnd

    public static func < (lhs: Token, rhs: Token) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The name InfluxDB prints; empty for tokens it has no name for
    /// (INTEGER, BOUNDPARAM, COMMENT...), exactly as its table leaves them.
    public var name: String {
        switch self {
        case .illegal: "ILLEGAL"
        case .eof: "EOF"
        case .ws: "WS"
        case .ident: "IDENT"
        case .number: "NUMBER"
        case .durationValue: "DURATIONVAL"
        case .string: "STRING"
        case .badString: "BADSTRING"
        case .badEscape: "BADESCAPE"
        case .true: "TRUE"
        case .false: "FALSE"
        case .regex: "REGEX"
        case .add: "+"
        case .sub: "-"
        case .mul: "*"
        case .div: "/"
        case .mod: "%"
        case .bitwiseAnd: "&"
        case .bitwiseOr: "|"
        case .bitwiseXor: "^"
        case .and: "AND"
        case .or: "OR"
        case .eq: "="
        case .neq: "!="
        case .eqRegex: "=~"
        case .neqRegex: "!~"
        case .lt: "<"
        case .lte: "<="
        case .gt: ">"
        case .gte: ">="
        case .lparen: "("
        case .rparen: ")"
        case .comma: ","
        case .colon: ":"
        case .doubleColon: "::"
        case .semicolon: ";"
        case .dot: "."
        default:
            if self > .keywordBegin && self < .keywordEnd { Token.keywordNames[self] ?? "" } else { "" }
        }
    }

    var isOperator: Bool { self > .operatorBegin && self < .operatorEnd }

    /// Binding strength in expressions, InfluxDB's table.
    var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .eq, .neq, .eqRegex, .neqRegex, .lt, .lte, .gt, .gte: 3
        case .add, .sub, .bitwiseOr, .bitwiseXor: 4
        case .mul, .div, .mod, .bitwiseAnd: 5
        default: 0
        }
    }

    var isRegexOperator: Bool { self == .eqRegex || self == .neqRegex }

    private static let keywordNames: [Token: String] = {
        var names: [Token: String] = [:]
        var raw = Token.keywordBegin.rawValue + 1
        let spelled = """
        ALL ALTER ANALYZE ANY AS ASC BEGIN BY CARDINALITY CREATE CONTINUOUS DATABASE DATABASES \
        DEFAULT DELETE DESC DESTINATIONS DIAGNOSTICS DISTINCT DROP DURATION END EVERY EXACT EXPLAIN \
        FIELD FOR FROM GRANT GRANTS GROUP GROUPS IN INF INSERT INTO KEY KEYS KILL LIMIT \
        MEASUREMENT MEASUREMENTS NAME OFFSET ON ORDER PASSWORD POLICY POLICIES PRIVILEGES QUERIES \
        QUERY READ REPLICATION RESAMPLE RETENTION REVOKE SELECT SERIES SET SHOW SHARD SHARDS \
        SLIMIT SOFFSET STATS SUBSCRIPTION SUBSCRIPTIONS TAG TO USER USERS VALUES WHERE WITH WRITE
        """.split(separator: " ")
        for word in spelled {
            if let token = Token(rawValue: raw) { names[token] = String(word) }
            raw += 1
        }
        return names
    }()

    /// Keywords by lowercase spelling, plus AND, OR, TRUE and FALSE.
    private static let keywords: [String: Token] = {
        var table: [String: Token] = [:]
        for (token, name) in keywordNames { table[name.lowercased()] = token }
        table["and"] = .and
        table["or"] = .or
        table["true"] = .true
        table["false"] = .false
        return table
    }()

    /// The keyword an identifier spells (case-insensitively), or `.ident`.
    static func lookup(_ identifier: String) -> Token {
        keywords[identifier.lowercased()] ?? .ident
    }
}

/// A position in the query text, 0-based; errors print both plus one.
public struct Position: Sendable, Hashable {
    public var line: Int
    public var char: Int
}

/// What an error prints for a token: its literal text if it has one, else
/// its name (InfluxDB's `tokstr`).
func tokenText(_ token: Token, _ literal: String) -> String {
    literal.isEmpty ? token.name : literal
}
