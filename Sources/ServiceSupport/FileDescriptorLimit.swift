#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit. Every agent holds a connection, and the
/// usual soft limit of 1,024 would refuse agents long before memory or CPU
/// ran out; the hard limit (524,288 under systemd) is what the operator
/// actually allowed, so a server raises its soft limit to it, as Go's
/// runtime and nginx's `worker_rlimit_nofile` do.
public enum FileDescriptorLimit {
    public struct Change: Sendable, Equatable {
        public var before: UInt64
        public var after: UInt64
        public init(before: UInt64, after: UInt64) {
            self.before = before
            self.after = after
        }
    }

    /// Raises the soft limit to the hard one; nil when it could not be read.
    @discardableResult
    public static func raiseToHardLimit() -> Change? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        let before = UInt64(limit.rlim_cur)
        guard limit.rlim_cur < limit.rlim_max else { return Change(before: before, after: before) }
        limit.rlim_cur = limit.rlim_max
        guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return Change(before: before, after: before) }
        return Change(before: before, after: UInt64(limit.rlim_max))
    }
}
