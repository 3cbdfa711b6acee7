#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The tracking API's `POST /api/track/` body (seed 003), field by field as
/// its Django REST framework serializer read it: `CharField(max_length=120)`
/// for namespace and name (numbers taken as their text, whitespace
/// trimmed), `IntegerField` for value (decimals also taken, an extension),
/// an optional `DateTimeField` for timestamp. Then the rules every door
/// shares.
public enum TrackBody {
    /// The fields of a JSON, form or multipart body; form values as strings.
    public static func event(from object: [String: JSONValue], rules: IngestRules) throws(TrackErrors) -> Event {
        var errors: [String: [String]] = [:]
        func text(_ key: String) -> String? {
            guard let raw = object[key] else {
                errors[key] = ["This field is required."]
                return nil
            }
            guard let value = charField(raw) else {
                errors[key] = [raw.isNull ? "This field may not be null." : "Not a valid string."]
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
        case .null?: errors["value"] = ["This field may not be null."]
        case let raw?:
            if let number = number(raw) { value = number } else { errors["value"] = ["A valid integer is required."] }
        }
        var time = rules.now()
        switch object["timestamp"] {
        case nil: break
        case .null?: errors["timestamp"] = ["This field may not be null."]
        case let raw?:
            if let string = raw.string, let parsed = DjangoDateTime.parse(string) {
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
    public static func object(json body: [UInt8]) throws(TrackErrors) -> [String: JSONValue] {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: body)
        } catch {
            throw TrackErrors(detail: "JSON parse error - \(error.message)")
        }
        guard let object = json.object else {
            throw TrackErrors(["non_field_errors": ["Invalid data. Expected a dictionary, but got \(pythonTypeName(json))."]])
        }
        return object
    }

    /// How DRF names what it got instead of a dictionary.
    static func pythonTypeName(_ value: JSONValue) -> String {
        switch value {
        case .array: "list"
        case .string: "str"
        case .bool: "bool"
        case .float: "float"
        case .integer: "int"
        case .object: "dict"
        case .null: "NoneType"
        }
    }

    /// `CharField`: strings trimmed, numbers as Python prints them, nothing else.
    static func charField(_ raw: JSONValue) -> String? {
        switch raw {
        case .string(let string): string.trimmingWhitespace()
        case .integer, .float: LegacyJSON.pythonText(raw)
        default: nil
        }
    }

    /// `IntegerField` reads `1`, `1.0`, `"1"` and `"1.0"` as 1; decimals
    /// are taken too, where upstream refused them.
    static func number(_ raw: JSONValue) -> Double? {
        switch raw {
        case .integer, .float:
            return LegacyJSON.number(raw).flatMap { $0.isFinite ? $0 : nil }
        case .string(let string):
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
        return JSONText.compactObject(errors.fields.sorted { $0.key < $1.key }.map { ($0.key, JSONText.value(.array($0.value.map(JSONValue.string)))) })
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
