import Foundation

/// The smallest and largest times a query can name; InfluxDB keeps the two
/// extremes of Int64 as sentinels.
public let influxMinTime = Int64.min + 2
public let influxMaxTime = Int64.max - 1

/// The `time` bounds of a WHERE clause, both inclusive, nil when open.
struct TimeRange: Equatable {
    var min: Int64?
    var max: Int64?

    func intersect(_ other: TimeRange) -> TimeRange {
        var result = self
        if let otherMin = other.min { result.min = Swift.max(result.min ?? otherMin, otherMin) }
        if let otherMax = other.max { result.max = Swift.min(result.max ?? otherMax, otherMax) }
        return result
    }
}

struct QueryError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// WHERE clauses, split as InfluxDB splits them: comparisons with `time`
/// become a time range (intersected, even under OR, as InfluxDB does), the
/// rest stays a condition on tags and fields.
enum Condition {
    struct Context {
        var now: Int64
        var zone: TimeZone?
    }

    static func split(_ condition: Expr?, _ context: Context) throws -> (Expr?, TimeRange) {
        guard let condition else { return (nil, TimeRange()) }
        var (expr, range) = try conditionExpr(condition, context)
        if case .paren(let inner)? = expr { expr = inner }
        if case .boolean(true)? = expr { expr = nil }
        return (expr, range)
    }

    private static func conditionExpr(_ cond: Expr, _ context: Context) throws -> (Expr?, TimeRange) {
        switch cond {
        case .binary(let op, let lhs, let rhs):
            if op == .and || op == .or {
                let (left, leftRange) = try conditionExpr(lhs, context)
                let (right, rightRange) = try conditionExpr(rhs, context)
                let range = leftRange.intersect(rightRange)
                guard let right else { return (left, range) }
                guard let left else { return (right, range) }
                return (reduce(.binary(op, left, right), context), range)
            }
            if case .varRef(let name, _) = lhs, name.lowercased() == "time" {
                return (nil, try timeRange(op, rhs, context))
            }
            if case .varRef(let name, _) = rhs, name.lowercased() == "time" {
                let swapped: Token = switch op {
                case .gt: .lt
                case .lt: .gt
                case .gte: .lte
                case .lte: .gte
                default: op
                }
                return (nil, try timeRange(swapped, lhs, context))
            }
            return (reduce(cond, context), TimeRange())
        case .paren(let inner):
            let (expr, range) = try conditionExpr(inner, context)
            guard let expr else { return (nil, range) }
            return (.paren(expr), range)
        case .boolean:
            return (cond, TimeRange())
        default:
            throw QueryError("invalid condition expression: \(cond)")
        }
    }

    private static func timeRange(_ op: Token, _ operand: Expr, _ context: Context) throws -> TimeRange {
        var rhs = operand
        if case .string(let s) = rhs, TimeFormat.looksLikeTime(s) {
            rhs = .time(try TimeFormat.parse(s, zone: context.zone))
        }
        rhs = reduce(rhs, context)
        let value: Int64
        switch rhs {
        case .time(let t):
            if t > influxMaxTime { throw QueryError("time \(TimeFormat.rfc3339Nano(t, offsetSeconds: 0)) overflows time literal") }
            if t < influxMinTime + 1 { throw QueryError("time \(TimeFormat.rfc3339Nano(t, offsetSeconds: 0)) underflows time literal") }
            value = t
        case .duration(let d): value = d
        case .number(let n):
            guard n.isFinite, n > -9.2e18, n < 9.2e18 else { throw QueryError("time \(n) overflows time literal") }
            value = Int64(n)
        case .integer(let i): value = i
        default:
            throw QueryError("invalid operation: time and \(goTypeName(rhs)) are not compatible")
        }
        switch op {
        case .gt: return TimeRange(min: value &+ 1, max: nil)
        case .gte: return TimeRange(min: value, max: nil)
        case .lt: return TimeRange(min: nil, max: value &- 1)
        case .lte: return TimeRange(min: nil, max: value)
        case .eq: return TimeRange(min: value, max: value)
        default: throw QueryError("invalid time comparison operator: \(op.name)")
        }
    }

    /// InfluxDB's Go type names, which its errors print.
    static func goTypeName(_ expr: Expr) -> String {
        switch expr {
        case .varRef: "*influxql.VarRef"
        case .call: "*influxql.Call"
        case .binary: "*influxql.BinaryExpr"
        case .paren: "*influxql.ParenExpr"
        case .string: "*influxql.StringLiteral"
        case .number: "*influxql.NumberLiteral"
        case .integer: "*influxql.IntegerLiteral"
        case .unsigned: "*influxql.UnsignedLiteral"
        case .boolean: "*influxql.BooleanLiteral"
        case .duration: "*influxql.DurationLiteral"
        case .time: "*influxql.TimeLiteral"
        case .regex: "*influxql.RegexLiteral"
        case .wildcard: "*influxql.Wildcard"
        case .distinct: "*influxql.Distinct"
        case .null: "*influxql.NilLiteral"
        }
    }

    // MARK: Constant folding

    /// Folds `now()` and literal arithmetic (`now() - 6h`, `'2024-01-01' + 1d`,
    /// `2 * 30m`) the way InfluxDB's `Reduce` does; leaves the rest as is.
    static func reduce(_ expr: Expr, _ context: Context, substituteNow: Bool = true) -> Expr {
        switch expr {
        case .call(let name, let args):
            if name == "now" && args.isEmpty && substituteNow { return .time(context.now) }
            return .call(name, args.map { reduce($0, context, substituteNow: substituteNow) })
        case .paren(let inner):
            let reduced = reduce(inner, context, substituteNow: substituteNow)
            switch reduced {
            case .binary, .paren, .call, .varRef: return .paren(reduced)
            default: return reduced
            }
        case .binary(let op, let lhs, let rhs):
            return reduceBinary(op, reduce(lhs, context, substituteNow: substituteNow), reduce(rhs, context, substituteNow: substituteNow), context)
        default:
            return expr
        }
    }

    private static func reduceBinary(_ op: Token, _ lhs: Expr, _ rhs: Expr, _ context: Context) -> Expr {
        if op == .and {
            if case .boolean(false) = lhs { return .boolean(false) }
            if case .boolean(false) = rhs { return .boolean(false) }
            if case .boolean(true) = lhs { return rhs }
            if case .boolean(true) = rhs { return lhs }
        } else if op == .or {
            if case .boolean(true) = lhs { return .boolean(true) }
            if case .boolean(true) = rhs { return .boolean(true) }
            if case .boolean(false) = lhs { return rhs }
            if case .boolean(false) = rhs { return lhs }
        }
        let unreduced = Expr.binary(op, lhs, rhs)
        switch (lhs, rhs) {
        case (.time(let t), .duration(let d)), (.time(let t), .integer(let d)):
            if op == .add { return .time(t &+ d) }
            if op == .sub { return .time(t &- d) }
        case (.duration(let d), .time(let t)):
            if op == .add { return .time(t &+ d) }
        case (.time(let a), .time(let b)):
            if op == .sub { return .duration(a &- b) }
        case (.duration(let a), .duration(let b)):
            if op == .add { return .duration(a &+ b) }
            if op == .sub { return .duration(a &- b) }
        case (.duration(let d), .integer(let n)):
            if op == .mul { return .duration(d &* n) }
            if op == .div { return .duration(n == 0 ? 0 : d / n) }
        case (.duration(let d), .number(let n)):
            let factor = n.isFinite && abs(n) < 9.2e18 ? Int64(n) : 0
            if op == .mul { return .duration(d &* factor) }
            if op == .div { return .duration(factor == 0 ? 0 : d / factor) }
        case (.string(let s), .duration), (.string(let s), .integer):
            if TimeFormat.looksLikeTime(s), let t = try? TimeFormat.parse(s, zone: context.zone) {
                let reduced = reduceBinary(op, .time(t), rhs, context)
                if case .binary = reduced { return unreduced }
                return reduced
            }
        case (.duration, .string(let s)):
            if TimeFormat.looksLikeTime(s), let t = try? TimeFormat.parse(s, zone: context.zone) {
                let reduced = reduceBinary(op, lhs, .time(t), context)
                if case .binary = reduced { return unreduced }
                return reduced
            }
        case (.integer(let a), .integer(let b)):
            switch op {
            case .add: return .integer(a &+ b)
            case .sub: return .integer(a &- b)
            case .mul: return .integer(a &* b)
            case .div: return b == 0 ? .number(0) : .number(Double(a) / Double(b))
            case .mod: return b == 0 ? .integer(0) : .integer(a % b)
            default: break
            }
        case (.integer(let a), .duration(let d)):
            if op == .mul { return .duration(a &* d) }
            if op == .add { return .duration(a &+ d) }
            if op == .sub { return .duration(a &- d) }
        case (.number, .number), (.integer, .number), (.number, .integer):
            guard let a = numeric(lhs), let b = numeric(rhs) else { break }
            switch op {
            case .add: return .number(a + b)
            case .sub: return .number(a - b)
            case .mul: return .number(a * b)
            case .div: return .number(b == 0 ? 0 : a / b)
            default: break
            }
        default:
            break
        }
        return unreduced
    }

    private static func numeric(_ e: Expr) -> Double? {
        switch e {
        case .number(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }
}
