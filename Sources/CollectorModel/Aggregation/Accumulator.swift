/// Count, sum, min, max and the earliest time of a set of points: enough to
/// answer every function, and mergeable, so rollups and raw points combine.
public struct Accumulator: Sendable, Equatable {
    public var count: Int64 = 0
    public var sum: Double = 0
    public var min: Double = .infinity
    public var max: Double = -.infinity
    /// Earliest point time, nanoseconds since the epoch.
    public var firstNanos: Int64 = .max

    public init() {}

    public init(count: Int64, sum: Double, min: Double, max: Double, firstNanos: Int64) {
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.firstNanos = firstNanos
    }

    public mutating func add(_ value: Double, atNanos nanos: Int64) {
        count += 1
        sum += value
        if value < min { min = value }
        if value > max { max = value }
        if nanos < firstNanos { firstNanos = nanos }
    }

    public mutating func merge(_ other: Accumulator) {
        count += other.count
        sum += other.sum
        if other.min < min { min = other.min }
        if other.max > max { max = other.max }
        if other.firstNanos < firstNanos { firstNanos = other.firstNanos }
    }

    public func value(_ function: AggregateFunction) -> Double {
        switch function {
        case .count: Double(count)
        case .sum: sum
        case .avg: count == 0 ? 0 : sum / Double(count)
        case .min: min
        case .max: max
        }
    }
}
