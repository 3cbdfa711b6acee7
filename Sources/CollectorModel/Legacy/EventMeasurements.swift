extension Event {
    /// The event as the event service wrote it to InfluxDB (seed 002), so
    /// dashboards of that time find it through the InfluxDB API: the event
    /// name is the measurement, its numbers and booleans are fields (with
    /// `value`, the event's value, always among them), and `uid` and its
    /// other strings are tags. The time, the id and the client's own
    /// timestamp are not tags: each would make every event a series.
    /// A new client's point keeps its own tags and fields.
    public func measurementPoints() -> [SeriesPoint] {
        guard let document = (try? JSONValue(parsing: Array(fieldsJSON.utf8)))?.object else { return [] }
        var tags: [String: String] = [:]
        var fields: [String: (Double, SeriesLabels.FieldType)] = [:]
        func take(_ key: String, _ raw: JSONValue) {
            switch raw {
            case .bool(let bool): fields[key] = (bool ? 1 : 0, .boolean)
            case .integer(let integer): fields[key] = (Double(integer), .integer)
            case .float(let float) where float.isFinite: fields[key] = (float, .float)
            case .string(let string): tags[key] = string
            default: break
            }
        }
        if let measurement = document["measurement"]?.string, measurement == name,
           let pointTags = document["tags"]?.object, let pointFields = document["fields"]?.object {
            for (key, raw) in pointTags { tags[key] = LegacyJSON.scalarText(raw) }
            for (key, raw) in pointFields where raw.string == nil { take(key, raw) }
        } else {
            for (key, raw) in document where !Self.notMeasured.contains(key) { take(key, raw) }
            if !uid.isEmpty { tags["uid"] = uid }
        }
        if fields["value"] == nil { fields["value"] = (value, value == value.rounded() ? .integer : .float) }
        return fields.sorted { $0.key < $1.key }.map { field, entry in
            let labels = SeriesLabels(measurement: name, field: field, tags: tags, type: entry.1)
            return SeriesPoint(namespace: namespace, name: labels.name, time: time, value: entry.0, labels: labels)
        }
    }

    static let notMeasured: Set<String> = ["event", "uid", "now", "event_id", "datetime"]
}
