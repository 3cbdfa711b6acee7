#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Namespace, name, time, value: what every numeric thing becomes, so one
/// aggregation engine serves events, crawled numbers, host stats and runtime.
public struct SeriesPoint: Sendable, Equatable, Hashable, Codable {
    public var namespace: String
    public var name: String
    /// Nanoseconds since the epoch: the store's unit, and the only one that
    /// keeps an InfluxDB timestamp whole (a `Date` rounds 2024's
    /// nanoseconds to a quarter of a microsecond).
    public var nanos: Int64
    public var value: Double
    /// Set for a series of an InfluxDB measurement (its `name` is then
    /// `measurement.field`).
    public var labels: SeriesLabels?

    public var time: Date {
        get { Date(nanos: nanos) }
        set { nanos = newValue.clampedNanos }
    }

    public init(namespace: String, name: String, nanos: Int64, value: Double, labels: SeriesLabels? = nil) {
        self.namespace = namespace
        self.name = name
        self.nanos = nanos
        self.value = value
        self.labels = labels
    }

    public init(namespace: String, name: String, time: Date, value: Double, labels: SeriesLabels? = nil) {
        self.init(namespace: namespace, name: name, nanos: time.clampedNanos, value: value, labels: labels)
    }
}
