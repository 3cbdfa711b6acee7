/// Crawled documents and the values shown from them: JSON objects merged
/// key by key, stored as compact text with sorted keys.
extension JSONValue {
    /// Parses a JSON object; anything else (an array, a scalar, not JSON)
    /// is refused, since crawled documents are merged key by key.
    public static func parseObject(_ bytes: some Collection<UInt8>) throws(ValidationError) -> [String: JSONValue] {
        guard let value = try? JSONValue(parsing: bytes) else {
            throw ValidationError(field: "document", "is not JSON")
        }
        guard case .object(let object) = value else { throw ValidationError(field: "document", "is not a JSON object") }
        return object
    }

    /// Compact JSON with sorted keys: the form documents are stored in.
    public static func text(_ object: [String: JSONValue]) -> String {
        text(.object(object))
    }

    public static func text(_ value: JSONValue) -> String {
        value.text(escapingSlashes: false)
    }

    /// How the value reads in a table cell or a chart label.
    public var displayText: String {
        switch self {
        case .null: return "-"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .float(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .string(let value): return value
        case .array, .object:
            return Self.text(self)
        }
    }

    /// Every numeric leaf with its dotted path (`stats.users`): what becomes
    /// series points. Booleans are not numbers here.
    public static func numericLeaves(of object: [String: JSONValue], prefix: String = "") -> [(path: String, value: Double)] {
        var leaves: [(path: String, value: Double)] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let path = prefix.isEmpty ? key : prefix + "." + key
            switch value {
            case .object(let nested): leaves.append(contentsOf: numericLeaves(of: nested, prefix: path))
            default: if let number = value.number, number.isFinite { leaves.append((path, number)) }
            }
        }
        return leaves
    }
}

/// Values travel inside Codable records (a presented field, a backup): as
/// the JSON they are.
extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .float(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .float(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
