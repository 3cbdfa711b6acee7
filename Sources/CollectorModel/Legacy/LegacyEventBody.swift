import Foundation

/// The event bodies the older tools' clients send, turned into events with
/// the same rules wherever they arrive (the collector's legacy bridge or an
/// agent's local intake), so old clients only change their base URL.
public enum LegacyEventBody {
    /// Events of the event service (seed 002) go to this namespace; the
    /// tracking API (seed 003) names its own.
    public static let statsNamespace = "stats"

    public struct Rules: Sendable {
        public var maxFutureSkew: TimeInterval = 300
        public var maxBodyBytes: Int = 1 << 20
        /// How old a timestamp may be (the raw retention); nil for no bound.
        public var maxAge: TimeInterval?
        public var now: @Sendable () -> Date = { Date() }
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
        let json = try parseJSON(body, rules: rules)
        if let object = json as? [String: Any] {
            return .single(try oldStyleEvent(object, rules: rules))
        }
        if let array = json as? [Any] {
            var events: [Event] = []
            for (index, element) in array.enumerated() {
                guard let point = element as? [String: Any] else {
                    throw ValidationError(field: "[\(index)]", "must be an object with measurement, tags and fields")
                }
                events.append(try newStylePoint(point, index: index, rules: rules))
            }
            return .points(events)
        }
        throw ValidationError(field: "body", "must be a JSON object or an array of points")
    }

    /// The old client: an object with `uid` and `event`; `now` (epoch
    /// seconds) and `event_id` are added when absent; every key is kept.
    static func oldStyleEvent(_ object: [String: Any], rules: Rules) throws(ValidationError) -> Event {
        var object = object
        guard let uid = object["uid"], !(uid is NSNull) else { throw ValidationError(field: "uid", "is required") }
        guard let name = object["event"] as? String, !name.isEmpty else { throw ValidationError(field: "event", "is required (a string)") }
        try checkFieldNames(object.keys, field: "body")
        let time: Date
        if let now = object["now"] {
            guard let seconds = (now as? NSNumber).flatMap({ isBoolean($0) ? nil : $0.doubleValue }), seconds.isFinite else {
                throw ValidationError(field: "now", "must be epoch seconds")
            }
            time = try checkTime(Date(timeIntervalSince1970: seconds), field: "now", rules: rules)
        } else {
            time = rules.now()
            object["now"] = time.timeIntervalSince1970
        }
        let id: String
        if let given = object["event_id"] {
            guard let text = given as? String, (1...128).contains(text.count) else {
                throw ValidationError(field: "event_id", "must be a string of 1-128 characters")
            }
            id = text
        } else {
            id = newEntryID()
            object["event_id"] = id
        }
        let value = (object["value"] as? NSNumber).flatMap { isBoolean($0) ? nil : $0.doubleValue } ?? 1
        return Event(id: id, namespace: statsNamespace, name: name, time: time, value: value.isFinite ? value : 1,
                     uid: scalarText(uid), fieldsJSON: try encode(object))
    }

    /// The new client: `{"measurement", "tags", "fields"}`; tags become
    /// strings, field types are kept, a `time` key is ignored.
    static func newStylePoint(_ point: [String: Any], index: Int, rules: Rules) throws(ValidationError) -> Event {
        let prefix = "[\(index)]"
        guard let measurement = point["measurement"] as? String, !measurement.isEmpty else {
            throw ValidationError(field: prefix + ".measurement", "is required (a string)")
        }
        let tags = point["tags"] ?? [String: Any]()
        let fields = point["fields"] ?? [String: Any]()
        guard let tagObject = tags as? [String: Any] else { throw ValidationError(field: prefix + ".tags", "must be an object") }
        guard let fieldObject = fields as? [String: Any] else { throw ValidationError(field: prefix + ".fields", "must be an object") }
        try checkFieldNames(tagObject.keys, field: prefix + ".tags")
        try checkFieldNames(fieldObject.keys, field: prefix + ".fields")
        let stringTags = tagObject.mapValues(scalarText)
        let value = (fieldObject["value"] as? NSNumber).flatMap { isBoolean($0) ? nil : $0.doubleValue } ?? 1
        let document: [String: Any] = ["measurement": measurement, "tags": stringTags, "fields": fieldObject]
        return Event(id: newEntryID(), namespace: statsNamespace, name: measurement, time: rules.now(),
                     value: value.isFinite ? value : 1, uid: stringTags["uid"] ?? "", fieldsJSON: try encode(document))
    }

    /// The tracking API's `POST /api/track/` body.
    public static func parseTrack(_ body: [UInt8], rules: Rules = Rules()) throws(TrackErrors) -> Event {
        let json: Any
        do {
            json = try parseJSON(body, rules: rules)
        } catch {
            throw TrackErrors(["non_field_errors": [error.message]])
        }
        guard let object = json as? [String: Any] else { throw TrackErrors(["non_field_errors": ["Invalid data. Expected a dictionary."]]) }
        var errors: [String: [String]] = [:]
        func text(_ key: String) -> String? {
            guard let raw = object[key], !(raw is NSNull) else {
                errors[key] = ["This field is required."]
                return nil
            }
            guard let value = raw as? String, !value.isEmpty else {
                errors[key] = [raw is String ? "This field may not be blank." : "Not a valid string."]
                return nil
            }
            guard value.count <= 120 else {
                errors[key] = ["Ensure this field has no more than 120 characters."]
                return nil
            }
            return value
        }
        let namespace = text("namespace")
        let name = text("name")
        var value: Double?
        if let raw = object["value"], !(raw is NSNull) {
            if let number = raw as? NSNumber, !isBoolean(number), number.doubleValue.isFinite {
                value = number.doubleValue
            } else if let string = raw as? String, let number = Double(string), number.isFinite {
                value = number
            } else {
                errors["value"] = ["A valid number is required."]
            }
        } else {
            errors["value"] = ["This field is required."]
        }
        var time = rules.now()
        if let raw = object["timestamp"], !(raw is NSNull) {
            if let string = raw as? String, let parsed = LegacyTime.parseISO8601(string) {
                do {
                    time = try checkTime(parsed, field: "timestamp", rules: rules)
                } catch {
                    errors["timestamp"] = [error.message]
                }
            } else {
                errors["timestamp"] = ["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]
            }
        }
        guard errors.isEmpty, let namespace, let name, let value else { throw TrackErrors(errors) }
        return Event(id: UUID().uuidString.lowercased(), namespace: namespace, name: name, time: time, value: value)
    }

    // MARK: - Shared rules

    static func parseJSON(_ body: [UInt8], rules: Rules) throws(ValidationError) -> Any {
        guard body.count <= rules.maxBodyBytes else { throw ValidationError(field: "body", "is larger than \(rules.maxBodyBytes) bytes") }
        do {
            return try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw ValidationError(field: "body", "is not valid JSON")
        }
    }

    static func checkTime(_ time: Date, field: String, rules: Rules) throws(ValidationError) -> Date {
        guard time.timeIntervalSince1970 > 0 else { throw ValidationError(field: field, "is before 1970") }
        if let maxAge = rules.maxAge, time < rules.now().addingTimeInterval(-maxAge) {
            throw ValidationError(field: field, "is before the retention window (\(Int(maxAge / 86400)) days)")
        }
        guard time <= rules.now().addingTimeInterval(rules.maxFutureSkew) else {
            throw ValidationError(field: field, "is more than \(Int(rules.maxFutureSkew)) s in the future")
        }
        return time
    }

    static func checkFieldNames(_ names: some Sequence<String>, field: String) throws(ValidationError) {
        for name in names where name.isEmpty || name.count > 128
            || !name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_.-".unicodeScalars.contains($0)) }) {
            throw ValidationError(field: field, "field name '\(name)' is not [A-Za-z0-9_.-]")
        }
    }

    public static func newEntryID() -> String {
        "entry_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    static func isBoolean(_ number: NSNumber) -> Bool {
        // JSON booleans decode to NSNumber too; their type code is 'c'.
        String(cString: number.objCType) == "c"
    }

    static func scalarText(_ value: Any) -> String {
        switch value {
        case let string as String: return string
        case let number as NSNumber where isBoolean(number): return number.boolValue ? "true" : "false"
        case let number as NSNumber:
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : String(double)
        case is NSNull: return ""
        default: return (try? encode(value)) ?? "\(value)"
        }
    }

    static func encode(_ value: Any) throws(ValidationError) -> String {
        do {
            return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
        } catch {
            throw ValidationError(field: "body", "cannot be stored as JSON")
        }
    }
}

/// The tracking API's errors: field → messages, as Django REST framework said them.
public struct TrackErrors: Error, Sendable, Equatable {
    public var fields: [String: [String]]
    public init(_ fields: [String: [String]]) { self.fields = fields }
}
