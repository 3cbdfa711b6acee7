/// The widths of the rollups kept as points are written: UTC-aligned
/// minutes, hours and days, each holding an `Accumulator` per series.
public enum RollupLevel: String, Sendable, CaseIterable, Comparable {
    case minute, hour, day

    public var widthNanos: Int64 {
        switch self {
        case .minute: TimeBuckets.nanosPerMinute
        case .hour: TimeBuckets.nanosPerHour
        case .day: TimeBuckets.nanosPerDay
        }
    }

    /// The start of the UTC-aligned rollup bucket holding `nanos`.
    public func start(ofNanos nanos: Int64) -> Int64 {
        let remainder = ((nanos % widthNanos) + widthNanos) % widthNanos
        return nanos - remainder
    }

    public static func < (lhs: RollupLevel, rhs: RollupLevel) -> Bool { lhs.widthNanos < rhs.widthNanos }
}
