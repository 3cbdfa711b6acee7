import CollectorModel
@testable import CollectorStore
import Foundation
import SeriesCodec
import Testing

/// `IngestLog.prepare` turns a batch's points, and its events without a
/// document, into one encoded run per series before the transaction; the
/// events that carry a document stay for the writer.
@Suite("Ingest preparation")
struct IngestPrepareTests {
    static let second: Int64 = 1_000_000_000
    static let base: Int64 = 1_764_000_000 * second

    @Test func aMixedBatchBecomesOneRunPerSeriesInOrderOfFirstAppearance() throws {
        let points = [
            SeriesPoint(namespace: "host", name: "cpu", nanos: Self.base, value: 1),
            SeriesPoint(namespace: "host", name: "memory", nanos: Self.base, value: 2),
            SeriesPoint(namespace: "host", name: "cpu", nanos: Self.base + Self.second, value: 3),
        ]
        let time = { (offset: Int64) in Date(nanos: Self.base + offset * Self.second) }
        let events = [
            Event(id: "a", namespace: "shop", name: "checkout", time: time(5), value: 10),
            Event(id: "b", namespace: "shop", name: "checkout", time: time(4), value: 11, uid: "user-1"),
            Event(id: "c", namespace: "host", name: "cpu", time: time(2), value: 12),
            Event(id: "d", namespace: "shop", name: "view", time: time(6), value: 13, fieldsJSON: #"{"page":"/"}"#),
            Event(id: "e", namespace: "shop", name: "checkout", time: time(7), value: 14),
        ]
        let batch = IngestBatch(agentID: "agent", sequence: 1, points: points, events: events)
        let prepared = IngestLog.prepare([.batch(batch)])

        guard case .batch(let result) = try #require(prepared.first) else {
            Issue.record("the batch is no longer a batch: \(prepared)")
            return
        }
        #expect(result.points.isEmpty)
        #expect(result.events.map(\.id) == ["b", "d"])
        let series = try result.encoded.map { encoded in
            ("\(encoded.namespace).\(encoded.name)", encoded.count, try ChunkCodec.decode(encoded.bytes).map(\.value))
        }
        #expect(series.map(\.0) == ["host.cpu", "host.memory", "shop.checkout"])
        #expect(series.map(\.1) == [3, 1, 2])
        // Arrival order within a series: compaction sorts by time.
        #expect(series.map(\.2) == [[1, 3, 12], [2], [10, 14]])
    }

    @Test func aBatchOfDocumentsOnlyIsLeftAsItIs() {
        let event = Event(id: "a", namespace: "shop", name: "checkout", time: Date(nanos: Self.base), value: 1, uid: "user-1")
        let batch = IngestBatch(agentID: "agent", sequence: 1, events: [event])
        #expect(IngestLog.prepare([.batch(batch)]) == [.batch(batch)])
    }
}
