#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Parses the durations operators write in config files and flags: `500ms`,
/// `10s`, `5m`, `24h`, `7d`, or a bare number of seconds.
public enum ConfigDuration {
    public static func parse(_ text: String) throws(ValidationError) -> Duration {
        let trimmed = text.trimmingSpaces()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, seconds) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            if let value = Double(number), let duration = milliseconds(value * seconds) { return duration }
        }
        if let value = Double(trimmed), let duration = milliseconds(value) { return duration }
        throw ValidationError(field: "duration", "'\(text)' is not a duration like 500ms, 10s, 5m, 24h or 7d")
    }

    /// Nil for a negative, infinite or NaN number of seconds, or one past
    /// Int64 milliseconds (about 292 million years), which would trap
    /// (found by fuzz/run config-yaml).
    private static func milliseconds(_ seconds: Double) -> Duration? {
        let milliseconds = (seconds * 1000).rounded()
        guard seconds >= 0, milliseconds.isFinite, milliseconds < 9.2e18 else { return nil }
        return .milliseconds(Int64(milliseconds))
    }

    public static func format(_ duration: Duration) -> String {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if ms % 86_400_000 == 0 && ms > 0 { return "\(ms / 86_400_000)d" }
        if ms % 3_600_000 == 0 && ms > 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 && ms > 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}

extension Duration {
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Whole nanoseconds, saturating: what NIO's `TimeAmount` takes.
    public var nanoseconds: Int64 {
        let (seconds, overflow) = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : seconds &+ components.attoseconds / 1_000_000_000
    }
}
