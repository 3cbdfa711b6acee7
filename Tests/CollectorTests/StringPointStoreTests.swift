import CollectorModel
import CollectorStore
import Foundation
import Testing

/// String fields in the store: committed with the numbers of the same
/// write, untouched by compaction (no chunk, no rollup), read by series and
/// time, and gone with the raw retention.
@Suite("String points in the store")
struct StringPointStoreTests {
    @Test(arguments: Backend.allCases)
    func storedBesideNumbersAndExpiredWithRawPoints(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let hour: Int64 = 3_600_000_000_000
            let start: Int64 = 1_704_067_200_000_000_000  // 2024-01-01
            let text = SeriesLabels(measurement: "events", field: "msg", tags: ["kind": "deploy"], type: .string)
            let number = SeriesLabels(measurement: "events", field: "severity", tags: ["kind": "deploy"], type: .integer)
            let strings = (0..<48).map { StringPoint(namespace: "app", labels: text, nanos: start + Int64($0) * hour, value: "event \($0)") }
            let points = (0..<48).map { SeriesPoint(namespace: "app", name: number.name, nanos: start + Int64($0) * hour, value: 1, labels: number) }
            let outcomes = try await store.commit(store.prepare([.points(points), .strings(strings)]), at: Date())
            #expect(outcomes == [.stored, .stored])

            let series = try await store.series(namespace: "app")
            #expect(series.map(\.labels?.type) == [.string, .integer])
            let id = try #require(series.first { $0.labels?.type == .string }?.id)
            // Out of order and equal times: every write is kept, by time.
            let late = StringPoint(namespace: "app", labels: text, nanos: start, value: "again")
            _ = try await store.commit([.strings([late])], at: Date())
            let read = try await store.strings(seriesID: id, from: start, to: start + 2 * hour)
            #expect(read.map(\.value) == ["event 0", "again", "event 1"])

            _ = try await store.compact(budget: 1000)
            #expect(try await store.strings(seriesID: id, from: .min, to: .max).count == 49)
            #expect(try await store.points(seriesID: id, from: .min, to: .max).isEmpty)
            #expect(try await store.buckets(seriesIDs: [id], from: start, to: start + 48 * hour, interval: hour, offset: 0).isEmpty)

            let cut = start + 24 * hour
            var removed = 0
            while true {
                let count = try await store.expire(Retention.Cutoffs(raw: cut, minute: .min, hour: .min, day: .min), chunk: 10)
                if count == 0 { break }
                removed += count
            }
            let left = try await store.strings(seriesID: id, from: .min, to: .max)
            #expect(left.count == 24)
            #expect(left.first?.time == cut)
            #expect(removed >= 25)
        }
    }
}
