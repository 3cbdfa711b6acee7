import Foundation

/// The rules every record is checked by before anything accepts it: the
/// collector's gRPC intake, its legacy HTTP routes and an agent's local
/// intake all call these, so a 201 or an ack from any door means the
/// collector will store the record. An agent learns the collector's values
/// when it registers.
public struct IngestRules: Sendable {
    /// Namespaces, names, uids and ids: long enough for the tracking API's
    /// 120 characters of any script.
    public var maxNameBytes = 512
    /// An event's free fields, as JSON.
    public var maxFieldsBytes = 64 << 10
    /// How far ahead of the collector's clock a time may be.
    public var maxFutureSkew: TimeInterval = 300
    /// How old a time may be: the longest retention of any level, nil when
    /// some level keeps everything.
    public var maxAge: TimeInterval?
    /// The collector's clock (an agent adds the offset it learned).
    public var now: @Sendable () -> Date = { Date() }

    /// Before this, a time is almost always a zero or a seconds/nanoseconds
    /// mix-up.
    public static let earliest = Date(timeIntervalSince1970: 631_152_000)  // 1990-01-01

    public init(maxFutureSkew: TimeInterval = 300, maxAge: TimeInterval? = nil) {
        self.maxFutureSkew = maxFutureSkew
        self.maxAge = maxAge
    }

    public func checkTime(_ time: Date, field: String) throws(ValidationError) -> Date {
        guard time >= Self.earliest else {
            throw ValidationError(field: field, "\(Self.describe(time)) is before 1990-01-01 (seconds sent as milli- or nanoseconds?)")
        }
        let now = now()
        if let maxAge, time < now.addingTimeInterval(-maxAge) {
            throw ValidationError(field: field, "\(Self.describe(time)) is older than every kept rollup level (\(Int(maxAge / 86400)) days)")
        }
        guard time <= now.addingTimeInterval(maxFutureSkew) else {
            throw ValidationError(field: field, "\(Self.describe(time)) is more than \(Int(maxFutureSkew)) s ahead of the collector's clock")
        }
        return time
    }

    public func checkName(_ text: String, field: String) throws(ValidationError) {
        guard !text.isEmpty else { throw ValidationError(field: field, "is required") }
        try checkLength(text, field: field)
    }

    public func checkLength(_ text: String, field: String) throws(ValidationError) {
        guard text.utf8.count <= maxNameBytes else { throw ValidationError(field: field, "is longer than \(maxNameBytes) bytes") }
    }

    public func checkFinite(_ value: Double, field: String) throws(ValidationError) {
        guard value.isFinite else { throw ValidationError(field: field, "must be a finite number") }
    }

    /// An event as every door must see it; `field` prefixes the names in errors.
    public func check(_ event: Event, field: String = "") throws(ValidationError) {
        let prefix = field.isEmpty ? "" : field + "."
        try checkName(event.namespace, field: prefix + "namespace")
        try checkName(event.name, field: prefix + "name")
        try checkFinite(event.value, field: prefix + "value")
        try checkLength(event.id, field: prefix + "id")
        try checkLength(event.uid, field: prefix + "uid")
        guard event.fieldsJSON.utf8.count <= maxFieldsBytes else {
            throw ValidationError(field: prefix + "fields", "are larger than \(maxFieldsBytes) bytes as JSON")
        }
        guard (try? JSONSerialization.jsonObject(with: Data(event.fieldsJSON.utf8))) is [String: Any] else {
            throw ValidationError(field: prefix + "fields", "must be a JSON object")
        }
        _ = try checkTime(event.time, field: prefix + "time")
    }

    public func check(_ point: SeriesPoint, field: String) throws(ValidationError) {
        try checkName(point.namespace, field: field + ".namespace")
        try checkName(point.name, field: field + ".name")
        try checkFinite(point.value, field: field + ".value")
        _ = try checkTime(point.time, field: field + ".time")
    }

    static func describe(_ time: Date) -> String {
        let seconds = time.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e11 else { return "time \(seconds) s" }
        return ISO8601DateFormatter().string(from: time)
    }
}
