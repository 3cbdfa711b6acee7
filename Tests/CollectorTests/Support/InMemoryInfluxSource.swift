import Foundation
import InfluxQL

/// An `InfluxSource` kept in memory, for the InfluxQL executor's tests: it
/// stores what `write` is given the way InfluxDB does (one series per
/// measurement, tag set and field; a later point at the same time replaces
/// the earlier; a field keeps its first type) and can answer the buckets
/// fast path, to test that path against the points path.
final class InMemoryInfluxSource: InfluxSource, @unchecked Sendable {
    private let lock = NSLock()
    private var databaseNames: [String] = []
    /// database → measurement → series key → (series, time → value)
    private var data: [String: [String: [SeriesKey: Stored]]] = [:]
    private var nextKey: Int64 = 1
    /// Answer `buckets` (the fast path) rather than nil.
    let answersBuckets: Bool

    struct SeriesKey: Hashable {
        var field: String
        var tags: [String: String]
    }

    struct Stored {
        var series: InfluxSeries
        var values: [Int64: InfluxValue]
    }

    init(databases: [String] = [], answersBuckets: Bool = false) {
        databaseNames = databases
        self.answersBuckets = answersBuckets
    }

    func createDatabase(_ name: String) async throws {
        lock.withLock {
            if !databaseNames.contains(name) { databaseNames.append(name) }
        }
    }

    /// Validates and stores points as `/write` would; returns the outcome.
    @discardableResult
    func write(_ points: [InfluxPoint], database: String) -> WriteValidation.Outcome {
        lock.withLock {
            if !databaseNames.contains(database) { databaseNames.append(database) }
            let outcome = WriteValidation.validate(points) { measurement, field in
                data[database]?[measurement]?.values.first(where: { $0.series.field == field })?.series.type
            }
            for point in outcome.accepted {
                for (field, value) in point.fields {
                    let key = SeriesKey(field: field, tags: point.tags)
                    if data[database, default: [:]][point.measurement, default: [:]][key] == nil {
                        let series = InfluxSeries(measurement: point.measurement, field: field, tags: point.tags, type: value.type, key: nextKey)
                        nextKey += 1
                        data[database, default: [:]][point.measurement, default: [:]][key] = Stored(series: series, values: [:])
                    }
                    data[database, default: [:]][point.measurement, default: [:]][key]?.values[point.time] = value
                }
            }
            return outcome
        }
    }

    /// Parses line protocol and stores it; returns the parse errors and the
    /// store's outcome.
    @discardableResult
    func write(lines: String, database: String, precision: Precision = .nanoseconds, now: Int64 = 0) -> ([LineError], WriteValidation.Outcome) {
        let (points, errors) = LineProtocol.parse(Array(lines.utf8), precision: precision, now: now)
        return (errors, write(points, database: database))
    }

    func databases() async throws -> [String] {
        lock.withLock { databaseNames }
    }

    func measurements(database: String) async throws -> [String] {
        lock.withLock { Array((data[database] ?? [:]).keys) }
    }

    func series(database: String, measurement: String) async throws -> [InfluxSeries] {
        lock.withLock { (data[database]?[measurement] ?? [:]).values.map(\.series) }
    }

    func points(_ series: InfluxSeries, from: Int64, to: Int64) async throws -> [InfluxSample] {
        lock.withLock {
            for measurements in data.values {
                guard let stored = measurements[series.measurement]?[SeriesKey(field: series.field, tags: series.tags)],
                      stored.series.key == series.key
                else { continue }
                return stored.values.filter { $0.key >= from && $0.key < to }.sorted { $0.key < $1.key }
                    .map { InfluxSample(time: $0.key, value: $0.value) }
            }
            return []
        }
    }

    func buckets(_ series: [InfluxSeries], from: Int64, to: Int64, interval: Int64, offset: Int64) async throws -> [Int64: BucketSummary]? {
        guard answersBuckets else { return nil }
        var result: [Int64: BucketSummary] = [:]
        for one in series {
            for sample in try await points(one, from: from, to: to) {
                guard let value = sample.value.number else { continue }
                var start = sample.time - offset
                let r = start % interval
                start -= r < 0 ? r + interval : r
                start += offset
                var summary = result[start] ?? BucketSummary(count: 0, sum: 0, min: .infinity, max: -.infinity)
                summary.count += 1
                summary.sum += value
                summary.min = min(summary.min, value)
                summary.max = max(summary.max, value)
                result[start] = summary
            }
        }
        return result
    }
}
