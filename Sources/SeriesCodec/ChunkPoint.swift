/// One sample of a series: a time in nanoseconds since the epoch and a value.
///
/// Equality and hashing compare the value by bit pattern, not by IEEE rules,
/// because that is what the codec preserves: a point with a NaN value equals
/// itself (same payload), and `0.0` and `-0.0` are different points.
public struct ChunkPoint: Sendable, Hashable, CustomStringConvertible {
    public var time: Int64
    public var value: Double

    public init(time: Int64, value: Double) {
        self.time = time
        self.value = value
    }

    public static func == (lhs: ChunkPoint, rhs: ChunkPoint) -> Bool {
        lhs.time == rhs.time && lhs.value.bitPattern == rhs.value.bitPattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(time)
        hasher.combine(value.bitPattern)
    }

    public var description: String { "(\(time), \(value))" }
}
