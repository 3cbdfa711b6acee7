import Foundation

/// Namespace, name, time, value: what every numeric thing becomes, so one
/// aggregation engine serves events, crawled numbers, host stats and runtime.
public struct SeriesPoint: Sendable, Equatable, Hashable, Codable {
    public var namespace: String
    public var name: String
    public var time: Date
    public var value: Double
    /// Set for a series of an InfluxDB measurement (its `name` is then
    /// `measurement.field`).
    public var labels: SeriesLabels?

    public init(namespace: String, name: String, time: Date, value: Double, labels: SeriesLabels? = nil) {
        self.namespace = namespace
        self.name = name
        self.time = time
        self.value = value
        self.labels = labels
    }
}
