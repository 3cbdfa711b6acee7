/// The unit of line-protocol timestamps (`/write?precision=`) and of integer
/// times in query answers (`/query?epoch=`).
public enum Precision: String, Sendable, CaseIterable {
    case nanoseconds = "ns"
    case microseconds = "u"
    case milliseconds = "ms"
    case seconds = "s"
    case minutes = "m"
    case hours = "h"

    /// Parses the query parameter as InfluxDB 1.6 does: it matches `u`, `ms`,
    /// `s`, `m` and `h` exactly, and reads anything else (`n`, `ns`, empty,
    /// or a typo) as nanoseconds rather than refusing it.
    public init(parameter: String?) {
        switch parameter ?? "" {
        case "u": self = .microseconds
        case "ms": self = .milliseconds
        case "s": self = .seconds
        case "m": self = .minutes
        case "h": self = .hours
        default: self = .nanoseconds
        }
    }

    /// Nanoseconds in one unit.
    public var nanoseconds: Int64 {
        switch self {
        case .nanoseconds: 1
        case .microseconds: 1_000
        case .milliseconds: 1_000_000
        case .seconds: 1_000_000_000
        case .minutes: 60_000_000_000
        case .hours: 3_600_000_000_000
        }
    }
}
