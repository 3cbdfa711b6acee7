#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Wire times are `fixed64` nanoseconds since the epoch (UTC).
public enum WireTime {
    /// Times outside this window are refused as bad timestamps: before it is
    /// almost always a zero or a seconds/nanoseconds mix-up, after it a clock
    /// gone wrong.
    public static let earliest = Date(timeIntervalSince1970: 631_152_000)  // 1990-01-01

    public static func date(_ nanos: UInt64) -> Date {
        Date(timeIntervalSince1970: Double(nanos) / 1e9)
    }

    public static func nanos(_ date: Date) -> UInt64 {
        let value = date.timeIntervalSince1970 * 1e9
        if value <= 0 { return 0 }
        if value >= Double(UInt64.max) { return .max }
        return UInt64(value.rounded())
    }
}
