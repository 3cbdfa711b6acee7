import CScheduler
// FoundationEssentials, never Foundation: the agent links this module, and
// one `import Foundation` links all of Foundation and ICU's data into it.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How long the kernel lets each of this process's threads run before it
/// may switch to another runnable one (Linux's EEVDF scheduler, 6.12 and
/// later; older kernels take the request and ignore it). A shorter slice
/// than the default (0.75 ms times a factor for the CPUs, 1.4 ms on two)
/// gives a thread that wakes for a small piece of work (an event loop with
/// a read, the group committer with a commit to acknowledge) an earlier
/// deadline, so it runs sooner when the process shares a busy core.
public enum SchedulerSlice {
    /// Requests `slice` for every thread of the process; threads started
    /// later inherit it from the thread that starts them. nil restores the
    /// kernel's default. Returns how many threads took it; the kernel keeps
    /// slices within 0.1...100 ms.
    @discardableResult
    public static func request(_ slice: Duration?) throws -> Int {
        let nanoseconds = UInt64(clamping: slice.map { $0.components.seconds * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000 } ?? 0)
        let threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap { pid_t($0) }
        var applied = 0
        for thread in threads {
            if collector_request_slice(thread, nanoseconds) == 0 {
                applied += 1
            } else if errno != ESRCH {
                // ESRCH: the thread ended meanwhile.
                throw SchedulerSliceError(errno: errno)
            }
        }
        return applied
    }

    /// The slice the kernel gives the calling thread, from
    /// `/proc/thread-self/sched`; nil where the kernel does not say.
    public static func current() -> Duration? {
        guard let text = try? String(contentsOfFile: "/proc/thread-self/sched", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("se.slice") {
            guard let value = line.split(separator: ":").last.flatMap({ Int64($0.filter { $0 != " " && $0 != "\t" }) }) else { return nil }
            return .nanoseconds(value)
        }
        return nil
    }
}

public struct SchedulerSliceError: Error, CustomStringConvertible {
    public let errno: Int32
    public var description: String { "sched_setattr: \(String(cString: strerror(errno)))" }
}
