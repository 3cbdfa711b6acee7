import Foundation
import ServiceSupport
import Synchronization
import Testing

/// The slice the collector asks for reaches the kernel for every thread,
/// those running and those started afterwards, and nil gives the default back.
@Suite("Scheduler slice", .serialized, .enabled(if: SchedulerSlice.current() != nil, "the kernel reports no se.slice"))
struct SchedulerSliceTests {
    @Test func everyThreadTakesTheRequestedSliceAndNilRestoresTheDefault() throws {
        let before = try #require(SchedulerSlice.current())
        let requested = Duration.microseconds(300)
        #expect(before != requested)
        defer { _ = try? SchedulerSlice.request(nil) }

        let threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count
        #expect(try SchedulerSlice.request(requested) >= threads - 1)
        #expect(SchedulerSlice.current() == requested)
        #expect(Self.sliceOfANewThread() == requested)

        try SchedulerSlice.request(nil)
        #expect(SchedulerSlice.current() == before)
        #expect(Self.sliceOfANewThread() == before)
    }

    private static func sliceOfANewThread() -> Duration? {
        let seen = Mutex<Duration?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            seen.withLock { $0 = SchedulerSlice.current() }
            done.signal()
        }
        thread.start()
        done.wait()
        return seen.withLock { $0 }
    }
}
