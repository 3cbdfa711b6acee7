import Foundation

extension Event {
    /// The event as the event service wrote it to InfluxDB (seed 002), so
    /// dashboards of that time find it through the InfluxDB API: the event
    /// name is the measurement, its numbers and booleans are fields (with
    /// `value`, the event's value, always among them), and `uid` and its
    /// other strings are tags. The time, the id and the client's own
    /// timestamp are not tags: each would make every event a series.
    /// A new client's point keeps its own tags and fields.
    public func measurementPoints() -> [SeriesPoint] {
        guard let document = (try? JSONSerialization.jsonObject(with: Data(fieldsJSON.utf8))) as? [String: Any] else { return [] }
        var tags: [String: String] = [:]
        var fields: [String: (Double, SeriesLabels.FieldType)] = [:]
        func take(_ key: String, _ raw: Any) {
            switch raw {
            case let number as NSNumber where LegacyJSON.isBoolean(number): fields[key] = (number.boolValue ? 1 : 0, .boolean)
            case let number as NSNumber:
                guard number.doubleValue.isFinite else { return }
                fields[key] = (number.doubleValue, LegacyJSON.isFloat(number) ? .float : .integer)
            case let string as String: tags[key] = string
            default: break
            }
        }
        if let measurement = document["measurement"] as? String, measurement == name,
           let pointTags = document["tags"] as? [String: Any], let pointFields = document["fields"] as? [String: Any] {
            for (key, raw) in pointTags { tags[key] = LegacyJSON.scalarText(raw) }
            for (key, raw) in pointFields where !(raw is String) { take(key, raw) }
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
