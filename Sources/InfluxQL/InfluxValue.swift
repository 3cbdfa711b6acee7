/// A field value as InfluxDB 1.x types it: the line protocol decides the type
/// by the value's spelling (`1.5`, `1i`, `1u`, `"x"`, `t`), and the type then
/// decides which functions apply and how results are encoded (an integer sum
/// stays an integer, a mean is always a float).
public enum InfluxValue: Sendable, Hashable, CustomStringConvertible {
    case float(Double)
    case integer(Int64)
    case unsigned(UInt64)
    case string(String)
    case boolean(Bool)

    public var type: InfluxFieldType {
        switch self {
        case .float: .float
        case .integer: .integer
        case .unsigned: .unsigned
        case .string: .string
        case .boolean: .boolean
        }
    }

    /// The value as a float for numeric arithmetic, nil for strings and booleans.
    public var number: Double? {
        switch self {
        case .float(let v): v
        case .integer(let v): Double(v)
        case .unsigned(let v): Double(v)
        case .string, .boolean: nil
        }
    }

    public var description: String {
        switch self {
        case .float(let v): "\(v)"
        case .integer(let v): "\(v)i"
        case .unsigned(let v): "\(v)u"
        case .string(let v): "\"\(v)\""
        case .boolean(let v): v ? "true" : "false"
        }
    }
}

/// The type of a field, named as `SHOW FIELD KEYS` names it.
public enum InfluxFieldType: String, Sendable, Hashable, CaseIterable {
    case float
    case integer
    case unsigned
    case string
    case boolean
}

/// One parsed line of line protocol.
public struct InfluxPoint: Sendable, Hashable {
    public var measurement: String
    /// Sorted by key when iterated through `sortedTags`; a dictionary because
    /// InfluxDB refuses duplicate tag keys, so keys are unique.
    public var tags: [String: String]
    public var fields: [String: InfluxValue]
    /// Nanoseconds since the epoch, UTC.
    public var time: Int64

    public init(measurement: String, tags: [String: String], fields: [String: InfluxValue], time: Int64) {
        self.measurement = measurement
        self.tags = tags
        self.fields = fields
        self.time = time
    }

    /// The tags in key order, as InfluxDB keys series (`m,a=1,b=2`).
    public var sortedTags: [(key: String, value: String)] {
        tags.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }
}
