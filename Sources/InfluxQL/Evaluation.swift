import Foundation

/// Evaluates WHERE conditions and SELECT arithmetic on one row, with
/// InfluxDB's rules: comparing values of unrelated types is false, not an
/// error; a missing value makes arithmetic null; integer division gives a
/// float; `%` and bitwise operators stay integer.
enum Evaluation {
    enum Value {
        case value(InfluxValue)
        case regex(InfluxRegex)
    }

    typealias Lookup = (String, VarType?) -> InfluxValue?

    /// The condition's truth on a row; anything not true (false, null, a
    /// type mismatch) excludes the row.
    static func isTrue(_ expr: Expr, _ lookup: Lookup) -> Bool {
        if case .value(.boolean(true))? = evaluate(expr, lookup) { return true }
        return false
    }

    static func evaluate(_ expr: Expr, _ lookup: Lookup) -> Value? {
        switch expr {
        case .varRef(let name, let type): return lookup(name, type).map(Value.value)
        case .paren(let inner): return evaluate(inner, lookup)
        case .string(let s): return .value(.string(s))
        case .number(let v): return .value(.float(v))
        case .integer(let v): return .value(.integer(v))
        case .unsigned(let v): return .value(.unsigned(v))
        case .boolean(let v): return .value(.boolean(v))
        case .duration(let v): return .value(.integer(v))
        case .time(let v): return .value(.integer(v))
        case .regex(let re): return .regex(re)
        case .binary(let op, let lhs, let rhs):
            if op == .and || op == .or {
                let left = isTrue(lhs, lookup)
                let right = isTrue(rhs, lookup)
                return .value(.boolean(op == .and ? left && right : left || right))
            }
            return binary(op, evaluate(lhs, lookup), evaluate(rhs, lookup))
        case .call(let name, let args):
            return math(name, args.map { evaluate($0, lookup) })
        default:
            return nil
        }
    }

    static func binary(_ op: Token, _ lhs: Value?, _ rhs: Value?) -> Value? {
        let comparison: Set<Token> = [.eq, .neq, .lt, .lte, .gt, .gte, .eqRegex, .neqRegex]
        guard case .value(let l)? = lhs else {
            return comparison.contains(op) ? .value(.boolean(false)) : nil
        }
        if case .regex(let re)? = rhs {
            guard case .string(let s) = l else { return .value(.boolean(false)) }
            switch op {
            case .eqRegex: return .value(.boolean(re.matches(s)))
            case .neqRegex: return .value(.boolean(!re.matches(s)))
            default: return .value(.boolean(false))
            }
        }
        guard case .value(let r)? = rhs else {
            return comparison.contains(op) ? .value(.boolean(false)) : nil
        }
        switch (l, r) {
        case (.string(let a), .string(let b)):
            switch op {
            case .eq: return .value(.boolean(a == b))
            case .neq: return .value(.boolean(a != b))
            case .lt: return .value(.boolean(a < b))
            case .lte: return .value(.boolean(a <= b))
            case .gt: return .value(.boolean(a > b))
            case .gte: return .value(.boolean(a >= b))
            case .add: return .value(.string(a + b))
            default: return comparison.contains(op) ? .value(.boolean(false)) : nil
            }
        case (.boolean(let a), .boolean(let b)):
            switch op {
            case .eq: return .value(.boolean(a == b))
            case .neq: return .value(.boolean(a != b))
            case .bitwiseAnd: return .value(.boolean(a && b))
            case .bitwiseOr: return .value(.boolean(a || b))
            case .bitwiseXor: return .value(.boolean(a != b))
            default: return comparison.contains(op) ? .value(.boolean(false)) : nil
            }
        case (.integer(let a), .integer(let b)):
            switch op {
            case .add: return .value(.integer(a &+ b))
            case .sub: return .value(.integer(a &- b))
            case .mul: return .value(.integer(a &* b))
            case .div: return .value(.float(b == 0 ? 0 : Double(a) / Double(b)))
            case .mod: return .value(.integer(b == 0 ? 0 : a % b))
            case .bitwiseAnd: return .value(.integer(a & b))
            case .bitwiseOr: return .value(.integer(a | b))
            case .bitwiseXor: return .value(.integer(a ^ b))
            default: return compare(op, Double(a), Double(b), exact: a == b, less: a < b)
            }
        default:
            guard let a = l.number, let b = r.number else {
                return comparison.contains(op) ? .value(.boolean(false)) : nil
            }
            switch op {
            case .add: return .value(.float(a + b))
            case .sub: return .value(.float(a - b))
            case .mul: return .value(.float(a * b))
            case .div: return .value(.float(b == 0 ? 0 : a / b))
            case .mod: return .value(.float(b == 0 ? 0 : fmod(a, b)))
            default: return compare(op, a, b, exact: a == b, less: a < b)
            }
        }
    }

    private static func compare(_ op: Token, _ a: Double, _ b: Double, exact: Bool, less: Bool) -> Value? {
        switch op {
        case .eq: return .value(.boolean(exact))
        case .neq: return .value(.boolean(!exact))
        case .lt: return .value(.boolean(less))
        case .lte: return .value(.boolean(less || exact))
        case .gt: return .value(.boolean(!less && !exact))
        case .gte: return .value(.boolean(!less))
        case .eqRegex, .neqRegex: return .value(.boolean(false))
        default: return nil
        }
    }

    static let mathFunctions: Set<String> = [
        "abs", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "exp", "log", "ln", "log2", "log10",
        "sqrt", "pow", "floor", "ceil", "round",
    ]

    /// InfluxDB's math functions on a value (null in, null out).
    static func math(_ name: String, _ args: [Value?]) -> Value? {
        let numbers = args.map { arg -> Double? in
            if case .value(let v)? = arg { return v.number }
            return nil
        }
        guard let first = numbers.first, let x = first else { return nil }
        let keepsInteger: Bool
        if case .value(.integer)? = args.first { keepsInteger = true } else { keepsInteger = false }
        switch name {
        case "abs":
            if case .value(.integer(let i))? = args.first { return .value(.integer(i == Int64.min ? i : Swift.abs(i))) }
            return .value(.float(Swift.abs(x)))
        case "floor", "ceil", "round":
            if keepsInteger, case .value(let v)? = args.first { return .value(v) }
            let rounded = name == "floor" ? x.rounded(.down) : name == "ceil" ? x.rounded(.up) : x.rounded(.toNearestOrAwayFromZero)
            return .value(.float(rounded))
        case "sin": return .value(.float(sin(x)))
        case "cos": return .value(.float(cos(x)))
        case "tan": return .value(.float(tan(x)))
        case "asin": return .value(.float(asin(x)))
        case "acos": return .value(.float(acos(x)))
        case "atan": return .value(.float(atan(x)))
        case "exp": return .value(.float(exp(x)))
        case "ln": return .value(.float(log(x)))
        case "log2": return .value(.float(log2(x)))
        case "log10": return .value(.float(log10(x)))
        case "sqrt": return .value(.float(sqrt(x)))
        case "atan2", "pow", "log":
            guard numbers.count == 2, let y = numbers[1] else { return nil }
            switch name {
            case "atan2": return .value(.float(atan2(x, y)))
            case "pow": return .value(.float(pow(x, y)))
            default: return .value(.float(log(x) / log(y)))
            }
        default: return nil
        }
    }
}
