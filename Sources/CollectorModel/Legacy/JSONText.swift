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

    /// An integer when the value is a whole number (as the tracking API's
    /// `IntegerField` held it), else a float.
    public static func integerOrFloat(_ value: Double) -> String {
        guard value.isFinite, value == value.rounded(), abs(value) < 9_007_199_254_740_992 else { return float(value) }
        return String(Int64(value))
    }

    /// An object from ordered pairs of key and already-encoded value, with
    /// Python's `json.dumps` separators.
    public static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// The same without spaces, as Django REST framework's renderer wrote it.
    public static func compactObject(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// Any JSON value (from `JSONSerialization`), keys sorted.
    public static func value(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
