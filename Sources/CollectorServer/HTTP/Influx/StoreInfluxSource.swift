import CollectorModel
import CollectorStore
import InfluxQL

/// Collector's store as InfluxDB databases and measurements: a namespace is
/// a database; a series written through the InfluxDB API (or an event
/// service's event) is one field of one tag set of its measurement; any
/// other series is a measurement of its name with one field, `value`,
/// unless series of that measurement were written the InfluxDB way.
struct StoreInfluxSource: InfluxSource {
    let store: any Store

    func databases() async throws -> [String] {
        try await store.namespaces()
    }

    func measurements(database: String) async throws -> [String] {
        Array(Set(try await view(database).map(\.measurement))).sorted()
    }

    func series(database: String, measurement: String) async throws -> [InfluxSeries] {
        try await view(database).filter { $0.measurement == measurement }
    }

    func points(_ series: InfluxSeries, from: Int64, to: Int64) async throws -> [InfluxSample] {
        if series.type == .string {
            return try await store.strings(seriesID: series.key, from: from, to: to).map {
                InfluxSample(time: $0.time, value: .string($0.value))
            }
        }
        // Every point, those of equal time too (InfluxDB keeps the last one
        // written): raw answers then agree with the aggregates, which the
        // rollups compute over every point.
        return try await store.points(seriesID: series.key, from: from, to: to).map {
            InfluxSample(time: $0.time, value: Self.value($0.value, as: series.type))
        }
    }

    func buckets(_ series: [InfluxSeries], from: Int64, to: Int64, interval: Int64, offset: Int64) async throws -> [Int64: BucketSummary]? {
        // Rollups hold numbers only: a string field's count is of its points.
        guard !series.contains(where: { $0.type == .string }) else { return nil }
        return try await store.buckets(seriesIDs: series.map(\.key), from: from, to: to, interval: interval, offset: offset)
            .mapValues { BucketSummary(count: $0.count, sum: $0.sum, min: $0.min, max: $0.max) }
    }

    /// Each measurement's fields and the type each got first, which later
    /// writes must keep (InfluxDB's field type conflict).
    func fieldTypes(database: String) async throws -> [String: [String: InfluxFieldType]] {
        var types: [String: [String: InfluxFieldType]] = [:]
        for series in try await view(database) where types[series.measurement]?[series.field] == nil {
            types[series.measurement, default: [:]][series.field] = series.type
        }
        return types
    }

    /// Every series of a namespace as InfluxDB sees it.
    private func view(_ database: String) async throws -> [InfluxSeries] {
        let stored = try await store.series(namespace: database)
        let measured = Set(stored.compactMap(\.labels?.measurement))
        return stored.compactMap { series in
            if let labels = series.labels {
                return InfluxSeries(measurement: labels.measurement, field: labels.field, tags: labels.tags,
                                    type: Self.type(labels.type), key: series.id)
            }
            guard !measured.contains(series.name) else { return nil }
            return InfluxSeries(measurement: series.name, field: "value", tags: [:], type: .float, key: series.id)
        }
    }

    static func type(_ type: SeriesLabels.FieldType) -> InfluxFieldType {
        switch type {
        case .float: .float
        case .integer: .integer
        case .unsigned: .unsigned
        case .boolean: .boolean
        case .string: .string
        }
    }

    static func value(_ number: Double, as type: InfluxFieldType) -> InfluxValue {
        switch type {
        case .integer: .integer(Int64(exactly: number.rounded()) ?? 0)
        case .unsigned: .unsigned(UInt64(exactly: max(0, number.rounded())) ?? 0)
        case .boolean: .boolean(number != 0)
        case .float, .string: .float(number)
        }
    }
}
