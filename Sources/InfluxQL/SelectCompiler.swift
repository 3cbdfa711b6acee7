import Foundation

/// The checks InfluxDB makes on a SELECT before reading anything (its
/// `query/compile.go`), in its order and with its words, so that a query it
/// refuses is refused here the same way.
struct SelectCompiler {
    var interval: Int64 = 0
    var offset: Int64 = 0
    var functionCalls: [Expr] = []
    var onlySelectors = true
    var hasAuxiliaryFields = false
    var timeColumn = "time"

    static let unsupportedFunctions: Set<String> = [
        "distinct", "mode", "top", "bottom", "sample", "cumulative_sum", "moving_average", "integral", "elapsed",
        "holt_winters", "holt_winters_with_fit", "exponential_moving_average", "double_exponential_moving_average",
        "triple_exponential_moving_average", "relative_strength_index", "triple_exponential_derivative",
        "kaufmans_efficiency_ratio", "kaufmans_adaptive_moving_average", "chande_momentum_oscillator",
    ]

    /// GROUP BY: at most one `time(interval[, offset])`, then tags, `*`, regexes.
    mutating func compileDimensions(_ dimensions: [Expr], now: Int64, zone: TimeZone?) throws {
        for dimension in dimensions {
            switch dimension {
            case .varRef(let name, _):
                if name.lowercased() == "time" { throw QueryError("time() is a function and expects at least one argument") }
            case .call(let name, let args):
                guard name == "time" else { throw QueryError("only time() calls allowed in dimensions") }
                guard (1...2).contains(args.count) else { throw QueryError("time dimension expected 1 or 2 arguments") }
                guard case .duration(let duration) = args[0] else { throw QueryError("time dimension must have duration argument") }
                guard interval == 0 else { throw QueryError("multiple time dimensions not allowed") }
                guard duration > 0 else { throw QueryError("time dimension must have a positive duration") }
                interval = duration
                if args.count == 2 {
                    switch args[1] {
                    case .duration(let d): offset = d % duration
                    case .call(let fn, let fnArgs):
                        guard fn == "now" else { throw QueryError("time dimension offset function must be now()") }
                        guard fnArgs.isEmpty else { throw QueryError("time dimension offset now() function requires no arguments") }
                        offset = SelectCompiler.sinceTruncation(now, duration)
                    case .string(let s):
                        guard TimeFormat.looksLikeTime(s) else { throw QueryError("time dimension offset must be duration or now()") }
                        let t = try TimeFormat.parse(s, zone: zone)
                        offset = SelectCompiler.sinceTruncation(t, duration)
                    default:
                        throw QueryError("time dimension offset must be duration or now()")
                    }
                }
            case .wildcard, .regex:
                break
            default:
                throw QueryError("only time and tag dimensions allowed")
            }
        }
    }

    /// `t - t.Truncate(d)` in Go, which truncates relative to the year 1,
    /// not to the epoch.
    static func sinceTruncation(_ t: Int64, _ d: Int64) -> Int64 {
        // Nanoseconds from 0001-01-01 to 1970-01-01, modulo d, without overflow.
        let zeroToEpoch = (62_135_596_800 % d).multipliedFullWidth(by: 1_000_000_000 % d)
        let shift = d.dividingFullWidth((high: zeroToEpoch.high, low: zeroToEpoch.low)).remainder
        var r = (t % d + shift) % d
        if r < 0 { r += d }
        return r
    }

    mutating func compileFields(_ fields: [Field]) throws -> [Field] {
        var kept: [Field] = []
        for field in fields {
            if case .varRef(let name, _) = field.expr, name == "time" {
                if let alias = field.alias, !alias.isEmpty { timeColumn = alias }
                continue
            }
            // InfluxDB folds constants first: `1 + 2` is the literal 3.
            var reduced = field
            reduced.expr = Condition.reduce(field.expr, .init(now: 0, zone: nil), substituteNow: false)
            kept.append(reduced)
            var allowWildcard = true
            try compile(reduced.expr, allowWildcard: &allowWildcard)
        }
        return kept
    }

    private mutating func compile(_ expr: Expr, allowWildcard: inout Bool) throws {
        switch expr {
        case .varRef:
            hasAuxiliaryFields = true
        case .wildcard:
            hasAuxiliaryFields = true
            if !allowWildcard { throw QueryError("unable to use wildcard in a binary expression") }
        case .regex:
            if !allowWildcard { throw QueryError("unable to use regex in a binary expression") }
            hasAuxiliaryFields = true
        case .call(let name, let args):
            if Evaluation.mathFunctions.contains(name) {
                let expected = ["atan2", "pow", "log"].contains(name) ? 2 : 1
                if args.count != expected {
                    throw QueryError("invalid number of arguments for \(name), expected \(expected), got \(args.count)")
                }
                for arg in args where !arg.isLiteral { try compile(arg, allowWildcard: &allowWildcard) }
                return
            }
            functionCalls.append(expr)
            switch name {
            case "percentile":
                if args.count != 2 { throw QueryError("invalid number of arguments for percentile, expected 2, got \(args.count)") }
                switch args[1] {
                case .integer, .number: break
                default: throw QueryError("expected float argument in percentile()")
                }
                try compileSymbol("percentile", args[0], allowWildcard: allowWildcard)
            case "derivative", "non_negative_derivative":
                if args.count < 1 || args.count > 2 {
                    throw QueryError("invalid number of arguments for \(name), expected at least 1 but no more than 2, got \(args.count)")
                }
                if args.count == 2 {
                    guard case .duration(let d) = args[1] else {
                        throw QueryError("second argument to \(name) must be a duration, got \(Condition.goTypeName(args[1]))")
                    }
                    if d <= 0 { throw QueryError("duration argument must be positive, got \(Duration.format(d))") }
                }
                try compileTransformArgument(name, args[0], allowWildcard: &allowWildcard)
            case "difference", "non_negative_difference":
                if args.count != 1 { throw QueryError("invalid number of arguments for \(name), expected 1, got \(args.count)") }
                try compileTransformArgument(name, args[0], allowWildcard: &allowWildcard)
            case "max", "min", "first", "last", "count", "sum", "mean", "median", "stddev", "spread":
                if !["max", "min", "first", "last"].contains(name) { onlySelectors = false }
                if args.count != 1 { throw QueryError("invalid number of arguments for \(name), expected 1, got \(args.count)") }
                if name == "count", case .call("distinct", _) = args[0] {
                    throw QueryError("count(distinct()) is not supported by Collector")
                }
                if name == "count", case .distinct = args[0] {
                    throw QueryError("count(distinct()) is not supported by Collector")
                }
                try compileSymbol(name, args[0], allowWildcard: allowWildcard)
            default:
                if SelectCompiler.unsupportedFunctions.contains(name) {
                    throw QueryError("\(name)() is not supported by Collector")
                }
                throw QueryError("undefined function \(name)()")
            }
        case .distinct:
            throw QueryError("distinct() is not supported by Collector")
        case .binary(_, let lhs, let rhs):
            allowWildcard = false
            if lhs.isLiteral && rhs.isLiteral { throw QueryError("cannot perform a binary expression on two literals") }
            if lhs.isLiteral { return try compile(rhs, allowWildcard: &allowWildcard) }
            if rhs.isLiteral { return try compile(lhs, allowWildcard: &allowWildcard) }
            try compile(lhs, allowWildcard: &allowWildcard)
            try compile(rhs, allowWildcard: &allowWildcard)
        case .paren(let inner):
            try compile(inner, allowWildcard: &allowWildcard)
        default:
            throw QueryError("field must contain at least one variable")
        }
    }

    private mutating func compileTransformArgument(_ name: String, _ arg: Expr, allowWildcard: inout Bool) throws {
        onlySelectors = false
        if case .call = arg {
            if interval == 0 { throw QueryError("\(name) aggregate requires a GROUP BY interval") }
            return try compile(arg, allowWildcard: &allowWildcard)
        }
        if interval != 0 { throw QueryError("aggregate function required inside the call to \(name)") }
        try compileSymbol(name, arg, allowWildcard: allowWildcard)
    }

    private mutating func compileSymbol(_ name: String, _ arg: Expr, allowWildcard: Bool) throws {
        switch arg {
        case .varRef: return
        case .wildcard:
            if !allowWildcard { throw QueryError("unsupported expression with wildcard: \(name)()") }
            onlySelectors = false
        case .regex:
            if !allowWildcard { throw QueryError("unsupported expression with regex field: \(name)()") }
            onlySelectors = false
        default:
            throw QueryError("expected field argument in \(name)()")
        }
    }

    func validateFields(_ fields: [Field], fill: FillOption) throws {
        if fields.isEmpty { throw QueryError("at least 1 non-time field must be queried") }
        if functionCalls.isEmpty {
            if case .none = fill { throw QueryError("fill(none) must be used with a function") }
            if case .linear = fill { throw QueryError("fill(linear) must be used with a function") }
            if interval != 0 { throw QueryError("GROUP BY requires at least one aggregate function") }
        }
        if hasAuxiliaryFields {
            if !onlySelectors { throw QueryError("mixing aggregate and non-aggregate queries is not supported") }
            if functionCalls.count > 1 { throw QueryError("mixing multiple selector functions with tags or fields is not supported") }
        }
    }

    /// The condition may call math functions only (`invalid function call
    /// in condition: mean(x)`).
    static func validateCondition(_ expr: Expr?) throws {
        guard let expr else { return }
        var failure: QueryError?
        expr.walk { node in
            guard failure == nil else { return false }
            if case .call(let name, let args) = node {
                if !Evaluation.mathFunctions.contains(name) {
                    failure = QueryError("invalid function call in condition: \(node)")
                    return false
                }
                let expected = ["atan2", "pow"].contains(name) ? 2 : 1
                if args.count != expected {
                    failure = QueryError("invalid number of arguments for \(name), expected \(expected), got \(args.count)")
                }
            }
            return true
        }
        if let failure { throw failure }
    }
}
