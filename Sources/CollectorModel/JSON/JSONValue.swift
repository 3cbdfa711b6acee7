/// A JSON value as the legacy bodies, event documents and crawled
/// documents carry it: read and written here, without Foundation's
/// `JSONSerialization` (which needs ICU, 50 MB of the agent otherwise).
/// Integers and floats stay apart, as Python kept them, so `7` is echoed
/// as `7` and `7.0` as `7.0`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A literal without fraction or exponent that fits in Int64.
    case integer(Int64)
    /// Every other number.
    case float(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Integers and floats alike; never a boolean.
    public var number: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .float(let value): return value
        default: return nil
        }
    }

    public var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
