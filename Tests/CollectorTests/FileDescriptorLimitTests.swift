import Glibc
import ServiceSupport
import Testing

@Suite("Open-file limit")
struct FileDescriptorLimitTests {
    @Test func theSoftLimitIsRaisedToTheHardLimit() throws {
        var limit = rlimit()
        try #require(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
        let hard = limit.rlim_max
        try #require(hard > 256, "a hard limit this low leaves nothing to raise")
        limit.rlim_cur = 256
        try #require(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)

        let change = FileDescriptorLimit.raiseToHardLimit()
        #expect(change == FileDescriptorLimit.Change(before: 256, after: UInt64(hard)))
        try #require(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
        #expect(limit.rlim_cur == hard)
        // Raised already: nothing more to do, and it says so.
        #expect(FileDescriptorLimit.raiseToHardLimit() == FileDescriptorLimit.Change(before: UInt64(hard), after: UInt64(hard)))
    }
}
