#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
    /// A string field's value: InfluxDB 1.x documents 64 KB.
    public var maxStringBytes = 64 << 10
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

    /// The same rules with the clock read once: a batch's records are all
    /// checked against the moment it arrived.
    public func fixedClock() -> IngestRules {
        var fixed = self
        let now = now()
        fixed.now = { now }
        return fixed
    }

    public func checkTime(_ time: Date, field: @autoclosure () -> String) throws(ValidationError) -> Date {
        guard time >= Self.earliest else {
            throw ValidationError(field: field(), "\(Self.describe(time)) is before 1990-01-01 (seconds sent as milli- or nanoseconds?)")
        }
        let now = now()
        if let maxAge, time < now.addingTimeInterval(-maxAge) {
            throw ValidationError(field: field(), "\(Self.describe(time)) is older than every kept rollup level (\(Int(maxAge / 86400)) days)")
        }
        guard time <= now.addingTimeInterval(maxFutureSkew) else {
            throw ValidationError(field: field(), "\(Self.describe(time)) is more than \(Int(maxFutureSkew)) s ahead of the collector's clock")
        }
        return time
    }

    public func checkName(_ text: String, field: @autoclosure () -> String) throws(ValidationError) {
        guard !text.isEmpty else { throw ValidationError(field: field(), "is required") }
        try checkLength(text, field: field())
    }

    public func checkLength(_ text: String, field: @autoclosure () -> String) throws(ValidationError) {
        guard text.utf8.count <= maxNameBytes else { throw ValidationError(field: field(), "is longer than \(maxNameBytes) bytes") }
    }

    public func checkFinite(_ value: Double, field: @autoclosure () -> String) throws(ValidationError) {
        guard value.isFinite else { throw ValidationError(field: field(), "must be a finite number") }
    }

    /// An event as every door must see it; `field` prefixes the names in
    /// errors (made only when there is one: this runs for every record).
    public func check(_ event: Event, field: @autoclosure () -> String = "") throws(ValidationError) {
        func named(_ name: String) -> String {
            let prefix = field()
            return prefix.isEmpty ? name : prefix + "." + name
        }
        try checkName(event.namespace, field: named("namespace"))
        try checkName(event.name, field: named("name"))
        try checkFinite(event.value, field: named("value"))
        try checkLength(event.id, field: named("id"))
        try checkLength(event.uid, field: named("uid"))
        guard event.fieldsJSON.utf8.count <= maxFieldsBytes else {
            throw ValidationError(field: named("fields"), "are larger than \(maxFieldsBytes) bytes as JSON")
        }
        // Most events carry no fields: no parser for those.
        guard event.fieldsJSON == "{}" || (try? JSONValue(parsing: Array(event.fieldsJSON.utf8)))?.object != nil else {
            throw ValidationError(field: named("fields"), "must be a JSON object")
        }
        _ = try checkTime(event.time, field: named("time"))
    }

    public func check(_ point: SeriesPoint, field: @autoclosure () -> String) throws(ValidationError) {
        try checkName(point.namespace, field: field() + ".namespace")
        try checkName(point.name, field: field() + ".name")
        try checkFinite(point.value, field: field() + ".value")
        _ = try checkTime(point.time, field: field() + ".time")
    }

    public func check(_ point: StringPoint, field: @autoclosure () -> String) throws(ValidationError) {
        try checkName(point.namespace, field: field() + ".namespace")
        try checkName(point.name, field: field() + ".name")
        let bytes = point.value.utf8.count
        guard bytes <= maxStringBytes else {
            throw ValidationError(field: field() + ".value", "is \(bytes) bytes, longer than \(maxStringBytes)")
        }
        _ = try checkTime(Date(nanos: point.nanos), field: field() + ".time")
    }

    static func describe(_ time: Date) -> String {
        let seconds = time.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e11 else { return "time \(seconds) s" }
        return LegacyTime.iso8601Seconds(time)
    }
}
