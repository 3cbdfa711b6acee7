import Foundation

/// An InfluxQL expression. One enum rather than InfluxDB's class per node:
/// the executor pattern-matches on it, and value semantics make the
/// rewriting passes (wildcard expansion, now() substitution) plain copies.
public indirect enum Expr: Sendable, Hashable, CustomStringConvertible {
    /// A field or tag name, with an optional `::field` / `::tag` / type cast.
    case varRef(String, VarType?)
    case call(String, [Expr])
    case binary(Token, Expr, Expr)
    case paren(Expr)
    case string(String)
    case number(Double)
    case integer(Int64)
    case unsigned(UInt64)
    case boolean(Bool)
    /// Nanoseconds.
    case duration(Int64)
    /// A point in time (nanoseconds since the epoch), the result of
    /// reducing `now()` or a date string compared with `time`.
    case time(Int64)
    case regex(InfluxRegex)
    /// `*`, `*::field` or `*::tag`.
    case wildcard(Token?)
    /// `DISTINCT field` without parentheses.
    case distinct(String)
    case null

    public var description: String { ExprFormatter.format(self) }

    var isLiteral: Bool {
        switch self {
        case .string, .number, .integer, .unsigned, .boolean, .duration, .time, .regex, .null: true
        default: false
        }
    }

    /// Every sub-expression, this one first.
    func walk(_ visit: (Expr) -> Bool) {
        guard visit(self) else { return }
        switch self {
        case .call(_, let args): for arg in args { arg.walk(visit) }
        case .binary(_, let lhs, let rhs):
            lhs.walk(visit)
            rhs.walk(visit)
        case .paren(let inner): inner.walk(visit)
        default: break
        }
    }

    var containsCall: Bool {
        var found = false
        walk { expr in
            if case .call = expr { found = true }
            return !found
        }
        return found
    }
}

/// The cast after `::` on a variable reference.
public enum VarType: String, Sendable, Hashable {
    case float, integer, unsigned, string, boolean, field, tag
}

/// A compiled regular expression with InfluxDB's matching (unanchored
/// search). ICU's syntax is a superset of the RE2 patterns dashboards use.
public final class InfluxRegex: @unchecked Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    // NSRegularExpression is immutable and documented thread-safe.
    private let compiled: NSRegularExpression

    public init(_ pattern: String) throws {
        self.pattern = pattern
        do {
            compiled = try NSRegularExpression(pattern: pattern)
        } catch {
            throw InfluxRegexError(pattern: pattern)
        }
    }

    public func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return compiled.firstMatch(in: text, options: [], range: range) != nil
    }

    public static func == (lhs: InfluxRegex, rhs: InfluxRegex) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
    public var description: String { "/" + pattern.replacingOccurrences(of: "/", with: "\\/") + "/" }
}

struct InfluxRegexError: Error, CustomStringConvertible {
    let pattern: String
    var description: String { "error parsing regexp: invalid regular expression: `\(pattern)`" }
}

/// A SELECT's column: an expression and its optional alias.
public struct Field: Sendable, Hashable {
    public var expr: Expr
    public var alias: String?

    /// The column name InfluxDB derives: the alias, else the call's name,
    /// the variable's name, or the names in a binary expression joined by
    /// underscores (`mean(a) + mean(b)` is `mean_mean`).
    public var name: String {
        if let alias, !alias.isEmpty { return alias }
        return Field.name(of: expr)
    }

    static func name(of expr: Expr) -> String {
        switch expr {
        case .call(let name, _): return name
        case .varRef(let name, _): return name
        case .paren(let inner): return name(of: inner)
        case .binary:
            var names: [String] = []
            func visit(_ e: Expr) {
                switch e {
                case .varRef(let name, _): names.append(name)
                case .call(let name, _): names.append(name)
                case .binary(_, let l, let r):
                    visit(l)
                    visit(r)
                case .paren(let inner): visit(inner)
                default: break
                }
            }
            visit(expr)
            return names.joined(separator: "_")
        default: return ""
        }
    }
}

/// `FROM` sources: a measurement by name (possibly `db.rp.name`) or regex.
public struct Measurement: Sendable, Hashable {
    public var database: String = ""
    public var retentionPolicy: String = ""
    public var name: String = ""
    public var regex: InfluxRegex?
}

public enum Source: Sendable, Hashable {
    case measurement(Measurement)
    case subquery(SelectStatement)
}

public enum FillOption: Sendable, Hashable {
    case null
    case none
    case number(Double, isInteger: Bool)
    case previous
    case linear
}

public struct SelectStatement: Sendable, Hashable {
    public var fields: [Field] = []
    public var hasTarget = false
    public var sources: [Source] = []
    public var condition: Expr?
    public var dimensions: [Expr] = []
    public var fill: FillOption = .null
    /// nil when there is no ORDER BY; true for ASC.
    public var ascending: Bool = true
    public var limit = 0
    public var offset = 0
    public var seriesLimit = 0
    public var seriesOffset = 0
    /// The `tz('...')` zone name, already checked to exist.
    public var timeZone: String?
    public var isRawQuery = true
}

/// The statements Collector answers, and the name of any other InfluxQL
/// statement it parsed but does not serve.
public enum Statement: Sendable, Hashable {
    case select(SelectStatement)
    case showDatabases
    case showMeasurements(ShowMeasurements)
    case showFieldKeys(ShowKeys)
    case showTagKeys(ShowKeys)
    case showTagValues(ShowTagValues)
    case showRetentionPolicies(database: String)
    case showSeries(ShowKeys)
    case createDatabase(String)
    /// Parsed (so errors in it are InfluxDB's) but not served by Collector.
    case unsupported(String)
}

public struct ShowMeasurements: Sendable, Hashable {
    public var database = ""
    public var source: Measurement?
    public var condition: Expr?
    public var limit = 0
    public var offset = 0
}

/// SHOW FIELD KEYS, SHOW TAG KEYS and SHOW SERIES share this shape.
public struct ShowKeys: Sendable, Hashable {
    public var database = ""
    public var sources: [Measurement] = []
    public var condition: Expr?
    public var limit = 0
    public var offset = 0
    public var seriesLimit = 0
    public var seriesOffset = 0
}

public struct ShowTagValues: Sendable, Hashable {
    public var database = ""
    public var sources: [Measurement] = []
    /// `.eq`, `.neq`, `.eqRegex`, `.neqRegex` or `.in`.
    public var op: Token = .eq
    public var keys: [String] = []
    public var keyRegex: InfluxRegex?
    public var condition: Expr?
    public var limit = 0
    public var offset = 0
}

/// A parsed `/query` `q`: statements in order.
public struct Query: Sendable, Hashable {
    public var statements: [Statement]
}

/// Renders expressions the way InfluxDB's `String()` methods do, for error
/// messages that quote them (`invalid condition expression: ...`).
enum ExprFormatter {
    static func format(_ expr: Expr) -> String {
        switch expr {
        case .varRef(let name, let type):
            let quoted = quoteIdent(name)
            if let type { return quoted + "::" + type.rawValue }
            return quoted
        case .call(let name, let args):
            return name + "(" + args.map(format).joined(separator: ", ") + ")"
        case .binary(let op, let lhs, let rhs):
            return format(lhs) + " " + op.name + " " + format(rhs)
        case .paren(let inner): return "(" + format(inner) + ")"
        case .string(let s): return quoteString(s)
        case .number(let v): return String(format: "%.3f", v)
        case .integer(let v): return String(v)
        case .unsigned(let v): return String(v)
        case .boolean(let v): return v ? "true" : "false"
        case .duration(let v): return Duration.format(v)
        case .time(let v): return "'" + TimeFormat.rfc3339Nano(v, offsetSeconds: 0) + "'"
        case .regex(let re): return re.description
        case .wildcard(let type):
            if let type { return "*::" + type.name.lowercased() }
            return "*"
        case .distinct(let name): return "DISTINCT " + quoteIdent(name)
        case .null: return "<nil>"
        }
    }

    static func quoteString(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    static func quoteIdent(_ s: String) -> String {
        identNeedsQuotes(s)
            ? "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\""
            : s
    }

    /// InfluxDB's QuoteIdent of several segments (`"db"."rp".m`): every
    /// segment but the last is quoted unless empty.
    static func quoteIdent(segments: [String]) -> String {
        var out = ""
        for (i, segment) in segments.enumerated() {
            let last = i == segments.count - 1
            let quote = identNeedsQuotes(segment) || (!last && !segment.isEmpty) || ((i == 0 || last) && segment.isEmpty)
            let escaped = segment.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
                .replacingOccurrences(of: "\"", with: "\\\"")
            out += quote ? "\"" + escaped + "\"" : escaped
            if !last { out += "." }
        }
        return out
    }

    static func identNeedsQuotes(_ s: String) -> Bool {
        if Token.lookup(s) != .ident { return true }
        for (i, scalar) in s.unicodeScalars.enumerated() {
            if i == 0 && !isIdentFirstChar(scalar) { return true }
            if i > 0 && !isIdentChar(scalar) { return true }
        }
        return false
    }
}
