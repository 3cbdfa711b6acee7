/// The width of an aggregation bucket. `none` groups by exact timestamp.
public enum Granularity: String, Sendable, CaseIterable, Codable {
    case minute, hour, day, week, month, year, none

    public static func parse(_ text: String, field: String = "granularity") throws(ValidationError) -> Granularity {
        guard let value = Granularity(rawValue: text.lowercased()) else {
            throw ValidationError(field: field, "'\(text)' is not one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

/// What a bucket's points become.
public enum AggregateFunction: String, Sendable, CaseIterable, Codable {
    case count, sum, avg, min, max

    public static func parse(_ text: String, field: String = "function") throws(ValidationError) -> AggregateFunction {
        guard let value = AggregateFunction(rawValue: text.lowercased()) else {
            throw ValidationError(field: field, "'\(text)' is not one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
