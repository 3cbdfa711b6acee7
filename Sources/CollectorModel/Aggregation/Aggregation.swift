#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An aggregation over one series: window `[from, to)`, buckets of a
/// granularity in a zone, one function.
public struct AggregationQuery: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var from: Date
    public var to: Date
    public var granularity: Granularity
    public var function: AggregateFunction
    public var timeZone: TimeZone

    public init(namespace: String, name: String, from: Date, to: Date, granularity: Granularity,
                function: AggregateFunction, timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt) {
        self.namespace = namespace
        self.name = name
        self.from = from
        self.to = to
        self.granularity = granularity
        self.function = function
        self.timeZone = timeZone
    }

    public func validated() throws(ValidationError) -> AggregationQuery {
        guard !namespace.isEmpty else { throw ValidationError(field: "namespace", "is required") }
        guard !name.isEmpty else { throw ValidationError(field: "name", "is required") }
        guard from <= to else { throw ValidationError(field: "from", "is after to") }
        return self
    }

    /// The window in nanoseconds, kept inside 1970...2096 so bucket
    /// arithmetic never overflows (nothing outside is ever stored).
    public var fromNanos: Int64 { Swift.min(Swift.max(from.clampedNanos, 0), Self.latestNanos) }
    public var toNanos: Int64 { Swift.min(Swift.max(to.clampedNanos, 0), Self.latestNanos) }
    static let latestNanos: Int64 = 4_000_000_000 * 1_000_000_000
}

/// One bucket of a result: its start (the lowest timestamp of the bucket;
/// for `none`, the exact timestamp), the aggregate, how many points, and
/// the earliest point's time (which the legacy tracking API reports).
public struct AggregateBucket: Sendable, Equatable {
    public var start: Date
    public var value: Double
    public var count: Int64
    public var first: Date

    public init(start: Date, value: Double, count: Int64, first: Date) {
        self.start = start
        self.value = value
        self.count = count
        self.first = first
    }
}

/// The one aggregation engine: folds raw points (an accumulator of one) and
/// rollup rows (an accumulator of many, wholly inside one bucket) into
/// buckets. Every series (events, crawled numbers, host stats, pool
/// runtime) is aggregated here.
public struct Aggregator: Sendable {
    public let buckets: TimeBuckets
    public let function: AggregateFunction
    private var groups: [Int64: Accumulator] = [:]

    public init(granularity: Granularity, function: AggregateFunction, timeZone: TimeZone) {
        buckets = TimeBuckets(granularity: granularity, timeZone: timeZone)
        self.function = function
    }

    public mutating func add(value: Double, atNanos nanos: Int64) {
        groups[buckets.start(ofNanos: nanos), default: Accumulator()].add(value, atNanos: nanos)
    }

    /// A rollup row starting at `nanos`; the caller guarantees it lies
    /// wholly inside one bucket (`TimeBuckets.isAligned`).
    public mutating func add(_ accumulator: Accumulator, startingAtNanos nanos: Int64) {
        groups[buckets.start(ofNanos: nanos), default: Accumulator()].merge(accumulator)
    }

    public var result: [AggregateBucket] {
        groups.sorted { $0.key < $1.key }.map { start, accumulator in
            AggregateBucket(start: Date(nanos: start), value: accumulator.value(function), count: accumulator.count,
                            first: Date(nanos: accumulator.firstNanos))
        }
    }
}

extension Date {
    /// Nanoseconds since the epoch, clamped so distant dates are open bounds.
    public var clampedNanos: Int64 {
        let nanos = (timeIntervalSince1970 * 1e9).rounded()
        if nanos <= Double(Int64.min) { return .min }
        if nanos >= Double(Int64.max) { return .max }
        return Int64(nanos)
    }

    public init(nanos: Int64) { self.init(timeIntervalSince1970: Double(nanos) / 1e9) }
}
