import Foundation

/// Namespace, name, time, value: what every numeric thing becomes, so one
/// aggregation engine serves events, crawled numbers, host stats and runtime.
public struct SeriesPoint: Sendable, Equatable, Hashable, Codable {
    public var namespace: String
    public var name: String
    public var time: Date
    public var value: Double

    public init(namespace: String, name: String, time: Date, value: Double) {
        self.namespace = namespace
        self.name = name
        self.time = time
        self.value = value
    }
}
