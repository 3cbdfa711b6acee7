@testable import CollectorServer
import Synchronization
import Testing

/// The compactor sleeps on the doorbell between rounds: a wait must end
/// only at a ring or its timeout, or an idle collector spins on empty rounds.
@Suite("Doorbell")
struct DoorbellTests {
    @Test func aWaitEndedByARingLeavesNoRingForTheNextWait() async throws {
        let bell = Doorbell()
        bell.ring()
        await bell.wait(timeout: .seconds(60))  // the ring above, at once
        let rungByTheTest = Atomic(false)
        async let ended: Bool = {
            await bell.wait(timeout: .seconds(60))
            return rungByTheTest.load(ordering: .sequentiallyConsistent)
        }()
        try await Task.sleep(for: .milliseconds(300))
        rungByTheTest.store(true, ordering: .sequentiallyConsistent)
        bell.ring()
        #expect(await ended, "the second wait ended before anything rang")
    }
}
