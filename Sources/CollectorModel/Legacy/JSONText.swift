import Foundation

/// JSON bodies written the way the legacy services wrote them: keys in a
/// fixed order, floats as Python prints them (`2.0`), so old clients that
/// compare bytes or types see what they always saw.
public enum JSONText {
    public static func string(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed, .withoutEscapingSlashes])) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Python's `repr(float)`: shortest round-trip digits, always with a
    /// decimal point or exponent.
    public static func float(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        let text = "\(value)"
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }

    /// An object from ordered pairs of key and already-encoded value.
    public static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// Any JSON value (from `JSONSerialization`), keys sorted.
    public static func value(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension LegacyEventBody {
    /// The tracking API's echo of a tracked event (201).
    public static func trackEcho(_ event: Event) -> String {
        JSONText.object([
            ("id", JSONText.string(event.id)), ("name", JSONText.string(event.name)),
            ("namespace", JSONText.string(event.namespace)),
            ("timestamp", JSONText.string(LegacyTime.iso8601Seconds(event.time))), ("value", JSONText.float(event.value)),
        ])
    }

    /// The tracking API's field errors (400).
    public static func trackErrorsBody(_ errors: [String: [String]]) -> String {
        JSONText.object(errors.sorted { $0.key < $1.key }.map { ($0.key, JSONText.value($0.value)) })
    }

    /// The event service's error shape.
    public static func errorBody(_ message: String) -> String {
        JSONText.object([("success", "false"), ("data", "null"), ("message", JSONText.string(message))])
    }
}
