import Foundation

/// The tracking API's `POST /api/track/` body (seed 003), field by field as
/// its Django REST framework serializer read it: `CharField(max_length=120)`
/// for namespace and name (numbers taken as their text, whitespace
/// trimmed), `IntegerField` for value (decimals also taken, an extension),
/// an optional `DateTimeField` for timestamp. Then the rules every door
/// shares.
public enum TrackBody {
    /// The fields of a JSON, form or multipart body; JSON values as
    /// `JSONSerialization` gives them, form values as strings.
    public static func event(from object: [String: Any], rules: IngestRules) throws(TrackErrors) -> Event {
        var errors: [String: [String]] = [:]
        func text(_ key: String) -> String? {
            guard let raw = object[key] else {
                errors[key] = ["This field is required."]
                return nil
            }
            guard let value = charField(raw) else {
                errors[key] = [raw is NSNull ? "This field may not be null." : "Not a valid string."]
                return nil
            }
            guard !value.isEmpty else {
                errors[key] = ["This field may not be blank."]
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
        switch object["value"] {
        case nil: errors["value"] = ["This field is required."]
        case is NSNull: errors["value"] = ["This field may not be null."]
        case let raw?:
            if let number = number(raw) { value = number } else { errors["value"] = ["A valid integer is required."] }
        }
        var time = rules.now()
        switch object["timestamp"] {
        case nil: break
        case is NSNull: errors["timestamp"] = ["This field may not be null."]
        case let raw?:
            if let string = raw as? String, let parsed = DjangoDateTime.parse(string) {
                do {
                    time = try rules.checkTime(parsed, field: "timestamp")
                } catch {
                    errors["timestamp"] = [error.message]
                }
            } else {
                errors["timestamp"] = ["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]
            }
        }
        guard errors.isEmpty, let namespace, let name, let value else { throw TrackErrors(errors) }
        let event = Event(id: RandomID.uuid(), namespace: namespace, name: name, time: time, value: value)
        do {
            try rules.check(event)
        } catch {
            throw TrackErrors([error.field: [error.message]])
        }
        return event
    }

    /// A JSON body, parsed and checked.
    public static func event(json body: [UInt8], rules: IngestRules = IngestRules()) throws(TrackErrors) -> Event {
        try event(from: object(json: body), rules: rules)
    }

    /// A JSON body's object, refused as DRF's JSON parser and serializer
    /// refused what is not one.
    public static func object(json body: [UInt8]) throws(TrackErrors) -> [String: Any] {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "not JSON"
            throw TrackErrors(detail: "JSON parse error - \(reason)")
        }
        guard let object = json as? [String: Any] else {
            throw TrackErrors(["non_field_errors": ["Invalid data. Expected a dictionary, but got \(pythonTypeName(json))."]])
        }
        return object
    }

    /// How DRF names what it got instead of a dictionary.
    static func pythonTypeName(_ value: Any) -> String {
        switch value {
        case is [Any]: "list"
        case is String: "str"
        case let number as NSNumber where LegacyJSON.isBoolean(number): "bool"
        case let number as NSNumber where LegacyJSON.isFloat(number): "float"
        case is NSNumber: "int"
        default: "NoneType"
        }
    }

    /// `CharField`: strings trimmed, numbers as Python prints them, nothing else.
    static func charField(_ raw: Any) -> String? {
        switch raw {
        case let string as String: return string.trimmingWhitespace()
        case let number as NSNumber where !LegacyJSON.isBoolean(number): return LegacyJSON.pythonText(number)
        default: return nil
        }
    }

    /// `IntegerField` reads `1`, `1.0`, `"1"` and `"1.0"` as 1; decimals
    /// are taken too, where upstream refused them.
    static func number(_ raw: Any) -> Double? {
        switch raw {
        case let number as NSNumber where !LegacyJSON.isBoolean(number):
            return number.doubleValue.isFinite ? number.doubleValue : nil
        case let string as String:
            let trimmed = string.trimmingWhitespace()
            guard trimmed.count <= 1000, !trimmed.isEmpty,
                  trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
                  let number = Double(trimmed), number.isFinite
            else { return nil }
            return number
        default:
            return nil
        }
    }

    /// The 201 echo: `value` an integer when it is one, the timestamp to
    /// the microsecond, compact as DRF's renderer wrote it.
    public static func echo(_ event: Event) -> String {
        JSONText.compactObject([
            ("id", JSONText.string(event.id)), ("name", JSONText.string(event.name)),
            ("namespace", JSONText.string(event.namespace)),
            ("timestamp", JSONText.string(DjangoDateTime.format(event.time))), ("value", JSONText.integerOrFloat(event.value)),
        ])
    }

    /// Field errors (400): `{"field": ["message"]}`, or `{"detail": "..."}`
    /// for a body that does not parse.
    public static func errorBody(_ errors: TrackErrors) -> String {
        if let detail = errors.detail { return JSONText.compactObject([("detail", JSONText.string(detail))]) }
        return JSONText.compactObject(errors.fields.sorted { $0.key < $1.key }.map { ($0.key, JSONText.value($0.value)) })
    }
}

/// The tracking API's errors: field → messages, as Django REST framework
/// said them, or one `detail` for the whole request.
public struct TrackErrors: Error, Sendable, Equatable {
    public var fields: [String: [String]]
    public var detail: String?

    public init(_ fields: [String: [String]]) {
        self.fields = fields
    }

    public init(detail: String) {
        fields = [:]
        self.detail = detail
    }
}
