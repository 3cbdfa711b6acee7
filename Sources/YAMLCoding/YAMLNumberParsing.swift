/// Number parsing with Yams's rules: plain (or unstyled) scalars only, `_` ignored, `0x`/`0b`/`0o`
/// and a bare leading `0` (octal) as radix prefixes, and `a:b:c` base-60 values.
///
/// Where Yams would trap on overflow in base-60 arithmetic this returns nil instead.
extension FixedWidthInteger {
    static func yamlInteger(from scalar: YAMLScalar) -> Self? {
        guard scalar.style == .any || scalar.style == .plain else { return nil }
        let withSign = scalar.string.filter { $0 != "_" }
        if withSign == "0" { return 0 }
        let negative = withSign.hasPrefix("-")
        guard isSigned || !negative else { return nil }
        let signPrefix = negative ? "-" : ""
        let hasSign = negative || withSign.hasPrefix("+")
        let body = withSign.dropFirst(hasSign ? 1 : 0)
        for (prefix, radix) in [("0x", 16), ("0b", 2), ("0o", 8), ("0", 8)] where body.hasPrefix(prefix) {
            return Self(signPrefix + body.dropFirst(prefix.count), radix: radix)
        }
        if body.contains(":") {
            return sexagesimal(withSign, parse: { Self($0, radix: 10) }, multiply: { lhs, rhs in
                let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
                return overflow ? nil : product
            }, add: { lhs, rhs in
                let (sum, overflow) = lhs.addingReportingOverflow(rhs)
                return overflow ? nil : sum
            }, negate: { value in
                let (result, overflow) = Self.zero.subtractingReportingOverflow(value)
                return overflow ? nil : result
            })
        }
        return Self(withSign, radix: 10)
    }
}

extension BinaryFloatingPoint where Self: LosslessStringConvertible {
    static func yamlFloat(from scalar: YAMLScalar) -> Self? {
        guard scalar.style == .any || scalar.style == .plain else { return nil }
        switch scalar.string.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: break
        }
        let text = scalar.string.filter { $0 != "_" }
        if text.contains(":") {
            return sexagesimal(text, parse: { Self($0) }, multiply: { $0 * $1 }, add: { $0 + $1 }, negate: { -$0 })
        }
        return Self(text)
    }
}

/// Base-60 value of `[-+]?a:b:c...`, each part parsed by `parse`; the arithmetic closures return
/// nil on overflow, which makes the whole value nil.
private func sexagesimal<T: ExpressibleByIntegerLiteral>(
    _ text: String,
    parse: (String) -> T?,
    multiply: (T, T) -> T?,
    add: (T, T) -> T?,
    negate: (T) -> T?
) -> T? {
    var body = Substring(text)
    var negative = false
    if body.hasPrefix("-") {
        negative = true
        body = body.dropFirst()
    } else if body.hasPrefix("+") {
        body = body.dropFirst()
    }
    var digits = [T]()
    for part in body.split(separator: ":", omittingEmptySubsequences: false) {
        guard let digit = parse(String(part)) else { return nil }
        digits.append(digit)
    }
    var base: T = 1
    var value: T = 0
    for (position, digit) in digits.reversed().enumerated() {
        if position > 0 {
            guard let next = multiply(base, 60) else { return nil }
            base = next
        }
        guard let scaled = multiply(digit, base), let sum = add(value, scaled) else { return nil }
        value = sum
    }
    return negative ? negate(value) : value
}
