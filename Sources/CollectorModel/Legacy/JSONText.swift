/// JSON bodies written the way the legacy services wrote them: keys in a
/// fixed order, floats as Python prints them (`2.0`), so old clients that
/// compare bytes or types see what they always saw.
public enum JSONText {
    /// A JSON string literal: quotes, backslashes and control characters
    /// escaped, everything else as it is (UTF-8, `/` unescaped), as Python's
    /// `json.dumps(..., ensure_ascii=False)` writes it.
    public static func string(_ text: String) -> String {
        var out: [UInt8] = [0x22]
        out.reserveCapacity(text.utf8.count + 2)
        let hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0x08: out += [0x5C, 0x62]
            case 0x0C: out += [0x5C, 0x66]
            case 0x00..<0x20: out += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
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

    /// Any JSON value, keys sorted, `/` as it is.
    public static func value(_ value: JSONValue) -> String {
        value.text(escapingSlashes: false)
    }
}
