/// What makes a series one of an InfluxDB measurement's: the measurement,
/// the field, the tag set and the field's type. Series written through the
/// InfluxDB API carry it; so do the event service's events, which its
/// old service wrote to InfluxDB that way. Other series (a plain namespace
/// and name) appear there as their name with one field, `value`.
/// A `string` series holds text (`StringPoint`), never numbers: it is kept
/// beside the numeric series, not in their chunks and rollups.
public struct SeriesLabels: Sendable, Hashable, Codable {
    public enum FieldType: String, Sendable, Hashable, Codable, CaseIterable {
        case float, integer, unsigned, boolean, string
    }

    public var measurement: String
    public var field: String
    /// Sorted by key when stored.
    public var tags: [String: String]
    public var type: FieldType

    public init(measurement: String, field: String, tags: [String: String], type: FieldType) {
        self.measurement = measurement
        self.field = field
        self.tags = tags
        self.type = type
    }

    /// The series' name: `measurement.field`.
    public var name: String { measurement + "." + field }

    /// The tags in one canonical text (sorted keys, escaped), the part of
    /// a series' identity beside its namespace and name.
    public var tagText: String {
        tags.keys.sorted().map { key in Self.escape(key) + "=" + Self.escape(tags[key] ?? "") }.joined(separator: ",")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "," || character == "=" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// Reads `tagText` back.
    public static func tags(fromText text: String) -> [String: String] {
        guard !text.isEmpty else { return [:] }
        var tags: [String: String] = [:]
        var key = ""
        var value = ""
        var inValue = false
        var escaped = false
        func close() {
            if !key.isEmpty || inValue { tags[key] = value }
            key = ""
            value = ""
            inValue = false
        }
        for character in text {
            if escaped {
                if inValue { value.append(character) } else { key.append(character) }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "=" && !inValue {
                inValue = true
            } else if character == "," {
                close()
            } else if inValue {
                value.append(character)
            } else {
                key.append(character)
            }
        }
        close()
        return tags
    }
}
