/// What the executor reads: Collector's store, seen as InfluxDB databases,
/// measurements and series. The store implements it; the executor never
/// sees how series are kept.
///
/// A series here is one field of one tag set (InfluxDB's series key plus a
/// field), because that is how Collector stores them: `cpu,host=a` with
/// fields `user` and `system` is two `InfluxSeries`.
public protocol InfluxSource: Sendable {
    func databases() async throws -> [String]
    func measurements(database: String) async throws -> [String]
    /// Every series of a measurement: one per field and tag set.
    func series(database: String, measurement: String) async throws -> [InfluxSeries]
    /// Raw points of one series in [from, to), ascending by time, at most
    /// one per timestamp (a later write of the same time replaces it).
    func points(_ series: InfluxSeries, from: Int64, to: Int64) async throws -> [InfluxSample]
    /// Fast path for mean/sum/count/min/max/spread over fixed buckets: per
    /// bucket start (nanoseconds, buckets of `interval` ns aligned to
    /// `offset` ns from the epoch), count, sum, min, max of the given series
    /// merged, over [from, to). Return nil to make the executor use points().
    func buckets(_ series: [InfluxSeries], from: Int64, to: Int64, interval: Int64, offset: Int64) async throws -> [Int64: BucketSummary]?
    /// `CREATE DATABASE` (the Python client and Telegraf send it before
    /// writing). The default accepts it and does nothing: a Collector
    /// namespace exists once something is written to it.
    func createDatabase(_ name: String) async throws
}

extension InfluxSource {
    public func buckets(_ series: [InfluxSeries], from: Int64, to: Int64, interval: Int64, offset: Int64) async throws -> [Int64: BucketSummary]? {
        nil
    }

    public func createDatabase(_ name: String) async throws {}
}

public struct InfluxSeries: Sendable, Hashable {
    public var measurement: String
    public var field: String
    public var tags: [String: String]
    public var type: InfluxFieldType
    /// The store's handle for the series; opaque to the executor.
    public var key: Int64

    public init(measurement: String, field: String, tags: [String: String], type: InfluxFieldType, key: Int64) {
        self.measurement = measurement
        self.field = field
        self.tags = tags
        self.type = type
        self.key = key
    }
}

public struct InfluxSample: Sendable, Hashable {
    public var time: Int64
    public var value: InfluxValue

    public init(time: Int64, value: InfluxValue) {
        self.time = time
        self.value = value
    }
}

/// Count, sum, minimum and maximum of the numeric values in one bucket.
public struct BucketSummary: Sendable, Hashable {
    public var count: Int64
    public var sum: Double
    public var min: Double
    public var max: Double

    public init(count: Int64, sum: Double, min: Double, max: Double) {
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
    }
}
