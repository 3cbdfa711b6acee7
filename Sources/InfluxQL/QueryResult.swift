/// One cell of an answer.
public enum ResultValue: Sendable, Hashable {
    case null
    case float(Double)
    case integer(Int64)
    case unsigned(UInt64)
    case string(String)
    case boolean(Bool)
    /// A time column value: nanoseconds since the epoch and the UTC offset
    /// (seconds) of the query's `tz()` at that instant, which RFC 3339
    /// output prints (`+01:00`); integer output (`epoch=`) ignores it.
    case time(Int64, offsetSeconds: Int)

    init(_ value: InfluxValue?) {
        switch value {
        case nil: self = .null
        case .float(let v)?: self = v.isNaN ? .null : .float(v)
        case .integer(let v)?: self = .integer(v)
        case .unsigned(let v)?: self = .unsigned(v)
        case .string(let v)?: self = .string(v)
        case .boolean(let v)?: self = .boolean(v)
        }
    }
}

/// One series of an answer: InfluxDB's `{"name", "tags", "columns", "values"}`.
public struct ResultSeries: Sendable, Hashable {
    public var name: String?
    /// Written in key order; nil omits `tags` (ungrouped queries).
    public var tags: [String: String]?
    public var columns: [String]
    public var values: [[ResultValue]]
    public var partial = false

    public init(name: String?, tags: [String: String]?, columns: [String], values: [[ResultValue]]) {
        self.name = name
        self.tags = tags
        self.columns = columns
        self.values = values
    }
}

/// A warning InfluxDB attaches to a statement's result.
public struct ResultMessage: Sendable, Hashable {
    public var level: String
    public var text: String
}

/// The answer to one statement: its series, or its error.
public struct StatementResult: Sendable, Hashable {
    public var statementID: Int
    public var series: [ResultSeries]
    public var messages: [ResultMessage] = []
    /// Set on every chunk of a chunked answer but a statement's last.
    public var partial = false
    public var error: String?

    public init(statementID: Int, series: [ResultSeries] = [], error: String? = nil) {
        self.statementID = statementID
        self.series = series
        self.error = error
    }
}
