/// Types the decoder builds straight from a scalar, with Yams's `ScalarConstructible` rules.
///
/// Everything else is decoded through its own `init(from:)`.
protocol YAMLScalarConstructible {
    static func construct(from scalar: YAMLScalar) -> Self?
}

extension String: YAMLScalarConstructible {
    /// Any scalar is a string, including `123`, `true` and `null`.
    static func construct(from scalar: YAMLScalar) -> String? {
        scalar.string
    }
}

extension Bool: YAMLScalarConstructible {
    /// YAML 1.1 spellings in any letter case, unless the scalar is a string by tag or quoting:
    /// `"true"` and `!!str true` are not Bools, while plain `tRue` is (Yams tests the tag as written,
    /// not the resolved one).
    static func construct(from scalar: YAMLScalar) -> Bool? {
        guard !scalar.isExplicitString else { return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }
}

extension Int: YAMLScalarConstructible {
    static func construct(from scalar: YAMLScalar) -> Int? { yamlInteger(from: scalar) }
}

extension Int64: YAMLScalarConstructible {
    static func construct(from scalar: YAMLScalar) -> Int64? { yamlInteger(from: scalar) }
}

extension UInt: YAMLScalarConstructible {
    static func construct(from scalar: YAMLScalar) -> UInt? { yamlInteger(from: scalar) }
}

extension UInt64: YAMLScalarConstructible {
    static func construct(from scalar: YAMLScalar) -> UInt64? { yamlInteger(from: scalar) }
}

// Yams parses the narrow widths as 64-bit and then requires the value to fit exactly.
protocol NarrowSignedInteger: FixedWidthInteger, SignedInteger {}
protocol NarrowUnsignedInteger: FixedWidthInteger, UnsignedInteger {}

extension NarrowSignedInteger {
    static func construct(from scalar: YAMLScalar) -> Self? { Int64.construct(from: scalar).flatMap { Self(exactly: $0) } }
}

extension NarrowUnsignedInteger {
    static func construct(from scalar: YAMLScalar) -> Self? { UInt64.construct(from: scalar).flatMap { Self(exactly: $0) } }
}

extension Int8: YAMLScalarConstructible, NarrowSignedInteger {}
extension Int16: YAMLScalarConstructible, NarrowSignedInteger {}
extension Int32: YAMLScalarConstructible, NarrowSignedInteger {}
extension UInt8: YAMLScalarConstructible, NarrowUnsignedInteger {}
extension UInt16: YAMLScalarConstructible, NarrowUnsignedInteger {}
extension UInt32: YAMLScalarConstructible, NarrowUnsignedInteger {}

extension Double: YAMLScalarConstructible {
    static func construct(from scalar: YAMLScalar) -> Double? { yamlFloat(from: scalar) }
}

extension Float: YAMLScalarConstructible {
    static func construct(from scalar: YAMLScalar) -> Float? { yamlFloat(from: scalar) }
}

extension YAMLScalar {
    /// Whether Yams's parser would have stored the `!!str` tag on this scalar: written explicitly,
    /// or implied by quoting or a block style.
    var isExplicitString: Bool {
        if let tag { return tag == YAMLTag.str }
        switch style {
        case .any, .plain: return false
        case .singleQuoted, .doubleQuoted, .literal, .folded: return true
        }
    }

    /// Yams's null test for `decodeNil()`: only plain scalars, so `'null'` and `''` are strings,
    /// and scalars built in code (style `any`) are never null.
    var isNull: Bool {
        guard style == .plain else { return false }
        switch string {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }
}
