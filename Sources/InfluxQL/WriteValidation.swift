/// The checks InfluxDB's store makes on parsed points before storing them,
/// so that `/write` refuses what InfluxDB refuses, with its words: a `time`
/// tag, a point whose only field is `time`, and a field whose type differs
/// from the type it already has (or got earlier in the same body).
/// Refused points are dropped, the rest stored, and the answer is a 400
/// `partial write: <first reason> dropped=<n>`.
public enum WriteValidation {
    public struct Outcome: Sendable {
        /// The points to store (a `time` field removed, as InfluxDB ignores it).
        public var accepted: [InfluxPoint]
        public var dropped: Int
        /// The first refusal's reason, nil when nothing was dropped.
        public var reason: String?

        /// The `error` of the 400 answer, nil when nothing was dropped.
        public var partialWriteMessage: String? {
            reason.map { LineProtocol.partialWriteMessage($0, dropped: dropped) }
        }
    }

    /// - Parameter existingType: the type a measurement's field already has
    ///   in the database, nil if it has none yet.
    public static func validate(
        _ points: [InfluxPoint], existingType: (_ measurement: String, _ field: String) -> InfluxFieldType?
    ) -> Outcome {
        var accepted: [InfluxPoint] = []
        var dropped = 0
        var reason: String?
        var batchTypes: [String: [String: InfluxFieldType]] = [:]
        // InfluxDB first drops every point with a `time` tag, then checks fields.
        var candidates: [InfluxPoint] = []
        for point in points {
            if point.tags["time"] != nil {
                dropped += 1
                if reason == nil { reason = "invalid tag key: input tag \"time\" on measurement \"\(point.measurement)\" is invalid" }
            } else {
                candidates.append(point)
            }
        }
        for var point in candidates {
            point.fields["time"] = nil
            if point.fields.isEmpty {
                dropped += 1
                if reason == nil { reason = "invalid field name: input field \"time\" on measurement \"\(point.measurement)\" is invalid" }
                continue
            }
            var conflict: String?
            for (name, value) in point.fields.sorted(by: { byteLess($0.key, $1.key) }) {
                let known = batchTypes[point.measurement]?[name] ?? existingType(point.measurement, name)
                if let known, known != value.type {
                    conflict = "field type conflict: input field \"\(name)\" on measurement \"\(point.measurement)\" is type \(value.type.rawValue), already exists as type \(known.rawValue)"
                    break
                }
            }
            if let conflict {
                dropped += 1
                if reason == nil { reason = conflict }
                continue
            }
            for (name, value) in point.fields where batchTypes[point.measurement]?[name] == nil {
                batchTypes[point.measurement, default: [:]][name] = value.type
            }
            accepted.append(point)
        }
        return Outcome(accepted: accepted, dropped: dropped, reason: reason)
    }
}
