@testable import AgentKit
import Foundation
import Logging
import Synchronization
import Testing

/// The agent's spool on a real directory: order, acknowledgements, recovery
/// by a new actor on the same files, the byte bound, waiting.
@Suite("Spool")
struct SpoolTests {
    // MARK: - Appending, replaying, acknowledging

    @Test func appendedBatchesReplayInOrderUntilAcknowledged() async throws {
        try await withSpoolDirectory { directory in
            let spool = try Spool(directory: directory, maxBytes: 1 << 20, logger: Self.logger())
            #expect(try await spool.append([1]) == 1)
            #expect(try await spool.append([2, 2]) == 2)
            #expect(try await spool.append([3, 3, 3]) == 3)

            let all = try await spool.pending(after: 0, limit: 10)
            #expect(all.map(\.sequence) == [1, 2, 3])
            #expect(all.map(\.payload) == [[1], [2, 2], [3, 3, 3]])
            #expect(try await spool.pending(after: 1, limit: 1).map(\.sequence) == [2])
            #expect(try await spool.pending(after: 3, limit: 10).isEmpty)
            #expect(try await spool.pending(after: 0, limit: 0).isEmpty)

            try await spool.acknowledge(2)
            try await spool.acknowledge(2)  // again: fine
            try await spool.acknowledge(99)  // unknown: fine
            #expect(try await spool.pending(after: 0, limit: 10).map(\.sequence) == [1, 3])
            #expect(await spool.stats == SpoolStats(batches: 2, bytes: 4, lastSequence: 3, droppedBatches: 0,
                                                    droppedThrough: 0, oldestSequence: 1))

            try await spool.acknowledge(through: 3)
            #expect(try await spool.pending(after: 0, limit: 10).isEmpty)
            #expect(await spool.stats == SpoolStats(batches: 0, bytes: 0, lastSequence: 3, droppedBatches: 0,
                                                    droppedThrough: 0, oldestSequence: nil))
            #expect(Self.batchFiles(in: directory).isEmpty)
            #expect(try await spool.append([4]) == 4)
        }
    }

    @Test func acknowledgeThroughKeepsLaterBatches() async throws {
        try await withSpoolDirectory { directory in
            let spool = try Spool(directory: directory, maxBytes: 1 << 20, logger: Self.logger())
            for index in 1...5 { try await spool.append([UInt8(index)]) }
            try await spool.acknowledge(through: 3)
            #expect(try await spool.pending(after: 0, limit: 10).map(\.sequence) == [4, 5])
            #expect(Self.batchFiles(in: directory) == [BatchFile.name(for: 4), BatchFile.name(for: 5)])
        }
    }

    @Test func theBuilderSeesItsSequenceAndAFailedBuildUsesNoSequence() async throws {
        try await withSpoolDirectory { directory in
            let spool = try Spool(directory: directory, maxBytes: 1 << 20, logger: Self.logger())
            #expect(try await spool.append { sequence in Array(String(sequence).utf8) } == 1)
            await #expect(throws: SpoolError.self) {
                try await spool.append { _ in throw SpoolError("no batch today") }
            }
            #expect(try await spool.append { sequence in Array(String(sequence).utf8) } == 2)
            #expect(try await spool.pending(after: 0, limit: 10).map(\.payload) == [Array("1".utf8), Array("2".utf8)])
        }
    }

    // MARK: - Recovery

    @Test func aNewSpoolOnTheSameDirectoryRecoversEverything() async throws {
        try await withSpoolDirectory { directory in
            let before: SpoolStats
            do {
                let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
                for index in 1...6 { try await spool.append([UInt8](repeating: UInt8(index), count: 300)) }
                try await spool.acknowledge(4)
                before = await spool.stats
            }
            #expect(before == SpoolStats(batches: 2, bytes: 600, lastSequence: 6, droppedBatches: 3,
                                         droppedThrough: 3, oldestSequence: 5))

            let reopened = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            #expect(await reopened.stats == before)
            let pending = try await reopened.pending(after: 0, limit: 10)
            #expect(pending.map(\.sequence) == [5, 6])
            #expect(pending.map(\.payload) == [[UInt8](repeating: 5, count: 300), [UInt8](repeating: 6, count: 300)])
            #expect(try await reopened.append([7]) == 7)
        }
    }

    @Test func aFullyAcknowledgedSpoolStillRemembersItsLastSequence() async throws {
        try await withSpoolDirectory { directory in
            do {
                let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
                for _ in 1...3 { try await spool.append([0]) }
                try await spool.acknowledge(through: 3)
            }
            let reopened = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            #expect(await reopened.stats.lastSequence == 3)
            #expect(try await reopened.append([0]) == 4)
        }
    }

    @Test func leftoverTemporaryFilesAreRemovedAndForeignFilesIgnored() async throws {
        try await withSpoolDirectory { directory in
            do {
                let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
                try await spool.append([1, 2, 3])
            }
            let file = { (name: String) in (directory as NSString).appendingPathComponent(name) }
            // An append and a state write killed before their renames, plus
            // files that are not the spool's.
            try Data([9, 9, 9]).write(to: URL(fileURLWithPath: file(BatchFile.name(for: 2) + ".tmp")))
            try Data("{}".utf8).write(to: URL(fileURLWithPath: file("state.tmp")))
            try Data("hello".utf8).write(to: URL(fileURLWithPath: file("notes.txt")))
            try Data("short".utf8).write(to: URL(fileURLWithPath: file("12.batch")))

            let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
            #expect(names == [BatchFile.name(for: 1), "state", "notes.txt", "12.batch"])
            #expect(await spool.stats.batches == 1)
            #expect(await spool.stats.lastSequence == 1)
            #expect(try await spool.pending(after: 0, limit: 10).map(\.payload) == [[1, 2, 3]])
            #expect(try await spool.append([4]) == 2)
        }
    }

    @Test func theDirectoryIsCreatedPrivate() async throws {
        try await withSpoolDirectory { parent in
            let directory = (parent as NSString).appendingPathComponent("nested/spool")
            _ = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            let attributes = try FileManager.default.attributesOfItem(atPath: directory)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        }
    }

    // MARK: - Damaged files

    @Test func aCorruptBatchIsSetAsideAndCountedAsDropped() async throws {
        try await withSpoolDirectory { directory in
            let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            for index in 1...3 { try await spool.append([UInt8](repeating: UInt8(index), count: 10)) }
            let path = (directory as NSString).appendingPathComponent(BatchFile.name(for: 2))
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[bytes.count - 1] ^= 0xFF
            try Data(bytes).write(to: URL(fileURLWithPath: path))

            #expect(try await spool.pending(after: 0, limit: 10).map(\.sequence) == [1, 3])
            let stats = await spool.stats
            #expect(stats.batches == 2)
            #expect(stats.bytes == 20)
            #expect(stats.droppedBatches == 1)
            #expect(stats.droppedThrough == 2)
            let quarantined = (directory as NSString).appendingPathComponent("quarantine/\(BatchFile.name(for: 2))")
            #expect(FileManager.default.fileExists(atPath: quarantined))
        }
    }

    @Test func aTruncatedBatchFoundOnOpenIsSetAside() async throws {
        try await withSpoolDirectory { directory in
            do {
                let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
                for index in 1...2 { try await spool.append([UInt8(index)]) }
            }
            let path = (directory as NSString).appendingPathComponent(BatchFile.name(for: 1))
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))

            let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            #expect(await spool.stats == SpoolStats(batches: 1, bytes: 1, lastSequence: 2, droppedBatches: 1,
                                                    droppedThrough: 1, oldestSequence: 2))
            #expect(try await spool.pending(after: 0, limit: 10).map(\.payload) == [[2]])
        }
    }

    @Test func aQuarantinedBatchIsNoLongerPendingButKeptOnDisk() async throws {
        try await withSpoolDirectory { directory in
            let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            for index in 1...3 { try await spool.append([UInt8(index)]) }
            try await spool.quarantine(1)
            try await spool.quarantine(42)  // unknown: ignored
            #expect(try await spool.pending(after: 0, limit: 10).map(\.sequence) == [2, 3])
            #expect(await spool.stats.droppedBatches == 1)
            #expect(await spool.stats.droppedThrough == 1)
            let quarantined = (directory as NSString).appendingPathComponent("quarantine/\(BatchFile.name(for: 1))")
            #expect(FileManager.default.fileExists(atPath: quarantined))
        }
    }

    // MARK: - The bound

    @Test func theBoundDropsTheOldestAndCountsExactly() async throws {
        try await withSpoolDirectory { directory in
            let log = LogCapture()
            let spool = try Spool(directory: directory, maxBytes: 1000, logger: log.logger)
            for index in 1...10 {
                #expect(try await spool.append([UInt8](repeating: UInt8(index), count: 300)) == UInt64(index))
            }
            #expect(try await spool.pending(after: 0, limit: 100).map(\.sequence) == [8, 9, 10])
            #expect(await spool.stats == SpoolStats(batches: 3, bytes: 900, lastSequence: 10, droppedBatches: 7,
                                                    droppedThrough: 7, oldestSequence: 8))
            #expect(Self.batchFiles(in: directory) == [8, 9, 10].map { BatchFile.name(for: $0) })
            // A flood of drops is one warning, not seven.
            let warnings = log.messages(at: .warning)
            #expect(warnings == ["spool full: dropped 1 oldest batches (total dropped 1)"])

            let reopened = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            #expect(await reopened.stats == SpoolStats(batches: 3, bytes: 900, lastSequence: 10, droppedBatches: 7,
                                                       droppedThrough: 7, oldestSequence: 8))
        }
    }

    @Test func aPayloadLargerThanTheWholeSpoolIsRefusedAndChangesNothing() async throws {
        try await withSpoolDirectory { directory in
            let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            try await spool.append([UInt8](repeating: 1, count: 600))
            let before = await spool.stats
            let filesBefore = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()

            let error = await #expect(throws: SpoolError.self) {
                try await spool.append([UInt8](repeating: 2, count: 1001))
            }
            #expect(error?.description.contains("1001") == true)
            #expect(await spool.stats == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == filesBefore)
            // Exactly maxBytes fits, and pushes the older batch out.
            #expect(try await spool.append([UInt8](repeating: 3, count: 1000)) == 2)
            #expect(await spool.stats.oldestSequence == 2)
        }
    }

    // MARK: - Sequence floor

    @Test func setMinimumSequenceRaisesButNeverLowersTheNextSequence() async throws {
        try await withSpoolDirectory { directory in
            do {
                // A wiped spool: the collector already holds 1...41.
                let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
                try await spool.setMinimumSequence(41)
                #expect(try await spool.append([1]) == 42)
                try await spool.setMinimumSequence(10)
                #expect(try await spool.append([2]) == 43)
                try await spool.acknowledge(through: 43)
                try await spool.setMinimumSequence(50)
            }
            let reopened = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            #expect(await reopened.stats.lastSequence == 50)
            #expect(try await reopened.append([3]) == 51)
        }
    }

    // MARK: - Waiting

    @Test(.timeLimit(.minutes(1)))
    func waitForDataReturnsAtOnceWhenThereIsData() async throws {
        try await withSpoolDirectory { directory in
            let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            try await spool.append([1])
            await spool.waitForData(after: 0)
            #expect(await spool.waitingCount == 0)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func waitForDataWakesOnAppend() async throws {
        try await withSpoolDirectory { directory in
            let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            try await spool.append([1])
            let waiter = Task { await spool.waitForData(after: 1) }
            try await Self.until { await spool.waitingCount == 1 }
            try await spool.append([2])
            await waiter.value
            #expect(await spool.waitingCount == 0)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func waitForDataReturnsWhenCancelled() async throws {
        try await withSpoolDirectory { directory in
            let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            let waiter = Task { await spool.waitForData(after: 0) }
            try await Self.until { await spool.waitingCount == 1 }
            waiter.cancel()
            await waiter.value
            #expect(await spool.waitingCount == 0)

            // Already cancelled before it waits: returns without registering.
            let early = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                await spool.waitForData(after: 0)
            }
            await early.value
            #expect(await spool.waitingCount == 0)
            #expect(try await spool.append([1]) == 1)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func manyWaitersWithMixedMarksWakeOnlyWhenTheirDataArrives() async throws {
        try await withSpoolDirectory { directory in
            let spool = try Spool(directory: directory, maxBytes: 1000, logger: Self.logger())
            let early = Task { await spool.waitForData(after: 0) }
            let late = Task { await spool.waitForData(after: 1) }
            try await Self.until { await spool.waitingCount == 2 }
            try await spool.append([1])
            await early.value
            #expect(await spool.waitingCount == 1)
            try await spool.append([2])
            await late.value
            #expect(await spool.waitingCount == 0)
        }
    }

    @Test func batchFilesCarryAStandardChecksumAndStrictNames() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(BatchFile.name(for: 42) == "00000000000000000042.batch")
        #expect(BatchFile.sequence(fromName: "00000000000000000042.batch") == 42)
        #expect(BatchFile.sequence(fromName: BatchFile.name(for: .max)) == .max)
        #expect(BatchFile.sequence(fromName: "42.batch") == nil)
        #expect(BatchFile.sequence(fromName: "0000000000000000004x.batch") == nil)
        #expect(BatchFile.sequence(fromName: "99999999999999999999.batch") == nil)  // > UInt64.max
        #expect(BatchFile.sequence(fromName: "00000000000000000042.batch.tmp") == nil)
    }

    // MARK: - Helpers

    static func logger() -> Logger {
        var logger = Logger(label: "spool-test") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .trace
        return logger
    }

    /// The names of the batch files in `directory`, sorted.
    static func batchFiles(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".batch") }.sorted()
    }

    /// Polls `condition` until it holds.
    static func until(_ condition: () async -> Bool) async throws {
        while await !condition() {
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// Runs `body` with a fresh directory, removed afterwards.
private func withSpoolDirectory(_ body: (String) async throws -> Void) async throws {
    let directory = NSTemporaryDirectory() + "spool-test-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await body(directory)
}

/// Collects what a logger says, to count warnings.
private final class LogCapture: Sendable {
    private let lines = Mutex<[(level: Logger.Level, message: String)]>([])

    var logger: Logger {
        Logger(label: "spool-test") { _ in Handler(capture: self) }
    }

    func messages(at level: Logger.Level) -> [String] {
        lines.withLock { $0.filter { $0.level == level }.map(\.message) }
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.lines.withLock { $0.append((event.level, event.message.description)) }
        }
    }
}
