#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The event service's bodies (seed 002), turned into events with the same
/// rules wherever they arrive (the collector's legacy bridge or an agent's
/// local intake), so old clients only change their base URL.
public enum LegacyEventBody {
    /// Events of the event service go to this namespace; the tracking API
    /// (seed 003) names its own.
    public static let statsNamespace = "stats"

    public struct Rules: Sendable {
        /// The rules every door checks records by.
        public var ingest = IngestRules()
        public var maxBodyBytes: Int = 1 << 20
        public init() {}
    }

    /// What a POST to `/log/event/` held.
    public enum Parsed: Sendable, Equatable {
        /// An old client's single object: answered with its id.
        case single(Event)
        /// A new client's array of points: answered with "OK".
        case points([Event])
    }

    public static func parseEventService(_ body: [UInt8], rules: Rules = Rules()) throws(ValidationError) -> Parsed {
        let json = try LegacyJSON.parse(body, maxBytes: rules.maxBodyBytes)
        if let object = json.object {
            return .single(try oldStyleEvent(object, rules: rules.ingest))
        }
        if let array = json.array {
            var events: [Event] = []
            for (index, element) in array.enumerated() {
                guard let point = element.object else {
                    throw ValidationError(field: "[\(index)]", "must be an object with measurement, tags and fields")
                }
                events.append(try newStylePoint(point, index: index, rules: rules.ingest))
            }
            return .points(events)
        }
        throw ValidationError(field: "body", "must be a JSON object or an array of points")
    }

    /// The old client: an object with `uid` and `event`. Every key is kept
    /// as given (`now` and `datetime` too: the seed's own README sends
    /// `"now": "Mon 25 Apr 2016 13:29:48 BST"`); `now` (epoch seconds) and
    /// `event_id` are added when absent. The series time is `now` when it
    /// is a number, else the arrival time.
    static func oldStyleEvent(_ object: [String: JSONValue], rules: IngestRules) throws(ValidationError) -> Event {
        var object = object
        guard let uid = object["uid"], !uid.isNull else { throw ValidationError(field: "uid", "is required") }
        guard let name = object["event"]?.string, !name.isEmpty else { throw ValidationError(field: "event", "is required (a string)") }
        try checkFieldNames(object.keys, field: "body")
        let arrival = rules.now()
        var time = arrival
        if let now = object["now"] {
            if let seconds = LegacyJSON.number(now) {
                guard seconds.isFinite else { throw ValidationError(field: "now", "must be a finite number") }
                time = try rules.checkTime(Date(timeIntervalSince1970: seconds), field: "now")
            }
        } else {
            object["now"] = .float(arrival.timeIntervalSince1970)
        }
        let id: String
        if let given = object["event_id"] {
            guard let text = given.string, (1...128).contains(text.count) else {
                throw ValidationError(field: "event_id", "must be a string of 1-128 characters")
            }
            id = text
        } else {
            id = newEntryID()
            object["event_id"] = .string(id)
        }
        let value = LegacyJSON.number(object["value"]).flatMap { $0.isFinite ? $0 : nil } ?? 1
        let event = Event(id: id, namespace: statsNamespace, name: name, time: time, value: value,
                          uid: LegacyJSON.scalarText(uid), fieldsJSON: JSONValue.object(object).text())
        try rules.check(event)
        return event
    }

    /// The new client: `{"measurement", "tags", "fields"}`; tags become
    /// strings, field types are kept, a `time` key is ignored.
    static func newStylePoint(_ point: [String: JSONValue], index: Int, rules: IngestRules) throws(ValidationError) -> Event {
        let prefix = "[\(index)]"
        guard let measurement = point["measurement"]?.string, !measurement.isEmpty else {
            throw ValidationError(field: prefix + ".measurement", "is required (a string)")
        }
        guard let tagObject = (point["tags"] ?? .object([:])).object else { throw ValidationError(field: prefix + ".tags", "must be an object") }
        guard let fieldObject = (point["fields"] ?? .object([:])).object else {
            throw ValidationError(field: prefix + ".fields", "must be an object")
        }
        try checkFieldNames(tagObject.keys, field: prefix + ".tags")
        try checkFieldNames(fieldObject.keys, field: prefix + ".fields")
        let stringTags = tagObject.mapValues(LegacyJSON.scalarText)
        let value = LegacyJSON.number(fieldObject["value"]).flatMap { $0.isFinite ? $0 : nil } ?? 1
        let document: JSONValue = .object(["measurement": .string(measurement), "tags": .object(stringTags.mapValues(JSONValue.string)),
                                           "fields": .object(fieldObject)])
        let event = Event(id: newEntryID(), namespace: statsNamespace, name: measurement, time: rules.now(),
                          value: value, uid: stringTags["uid"] ?? "", fieldsJSON: document.text())
        try rules.check(event, field: prefix)
        return event
    }

    static func checkFieldNames(_ names: some Sequence<String>, field: String) throws(ValidationError) {
        for name in names where name.isEmpty || name.count > 128
            || !name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.isAlphanumeric || "_.-".unicodeScalars.contains($0)) }) {
            throw ValidationError(field: field, "field name '\(name)' is not [A-Za-z0-9_.-]")
        }
    }

    public static func newEntryID() -> String {
        "entry_" + RandomID.hex()
    }

    /// The event service's error shape.
    public static func errorBody(_ message: String) -> String {
        JSONText.object([("success", "false"), ("data", "null"), ("message", JSONText.string(message))])
    }
}
