import CollectorModel
import CollectorServer
import CollectorStore
import Foundation
import Testing

/// The aggregation engine against a naive reference: `Calendar` buckets
/// over raw points, on random data, for every granularity and function, in
/// UTC and in a zone with DST, across month and year ends and a leap day.
@Suite("Aggregation engine")
struct AggregationTests {

    static func utc(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text) ?? Date(timeIntervalSince1970: 0)
    }

    /// The reference: every point's bucket from `Calendar.dateInterval`.
    static func reference(_ points: [(Date, Double)], granularity: Granularity, function: AggregateFunction,
                          zone: TimeZone, from: Date, to: Date) -> [(Date, Double, Int)] {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        let component: Calendar.Component? = switch granularity {
        case .minute: .minute
        case .hour: .hour
        case .day: .day
        case .week: .weekOfYear
        case .month: .month
        case .year: .year
        case .none: nil
        }
        var groups: [Date: [Double]] = [:]
        for (time, value) in points where time >= from && time < to {
            let start = component.flatMap { calendar.dateInterval(of: $0, for: time)?.start } ?? time
            groups[start, default: []].append(value)
        }
        return groups.sorted { $0.key < $1.key }.map { start, values in
            let result: Double = switch function {
            case .count: Double(values.count)
            case .sum: values.reduce(0, +)
            case .avg: values.reduce(0, +) / Double(values.count)
            case .min: values.min() ?? 0
            case .max: values.max() ?? 0
            }
            return (start, result, values.count)
        }
    }

    static let windows: [(String, String, String)] = [
        ("leap year end to spring", "2023-12-20T00:00:00Z", "2024-03-05T00:00:00Z"),
        ("European DST spring and autumn", "2024-03-25T13:17:00Z", "2024-11-02T00:00:00Z"),
    ]

    @Test(arguments: Backend.allCases, ["UTC", "Europe/Zurich", "Asia/Kolkata"])
    func rollupsAndRawAgreeWithTheReference(_ backend: Backend, zoneName: String) async throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        try await backend.withStore { store in
            _ = try await store.register(AgentRegistration(agentID: "a", site: "s", hostname: "h", agentVersion: "1", instance: nil, instanceUUID: nil), at: Date())
            var random = SplitMix(state: 42)
            var points: [(Date, Double)] = []
            let start = Self.utc("2023-12-01T00:00:00Z").timeIntervalSince1970
            let end = Self.utc("2024-12-01T00:00:00Z").timeIntervalSince1970
            for _ in 0..<4000 {
                let seconds = Double.random(in: start..<end, using: &random).rounded()
                points.append((Date(timeIntervalSince1970: seconds), Double(Int.random(in: -50...1000, using: &random))))
            }
            // Bursts inside single minutes and across the leap day and a DST change.
            for anchor in ["2024-02-29T23:59:30Z", "2024-03-31T00:59:50Z", "2024-10-27T00:30:00Z", "2023-12-31T23:59:59Z"] {
                for offset in 0..<20 {
                    points.append((Self.utc(anchor).addingTimeInterval(Double(offset)), Double(offset)))
                }
            }
            var sequence: UInt64 = 0
            for chunk in stride(from: 0, to: points.count, by: 500) {
                sequence += 1
                let batch = points[chunk..<min(chunk + 500, points.count)].map { SeriesPoint(namespace: "t", name: "x", time: $0.0, value: $0.1) }
                _ = try await store.commit([IngestBatch(agentID: "a", sequence: sequence, points: batch)], at: Date())
            }

            // Read from the log, then from chunks and rollups: the same answers.
            for phase in ["log", "compacted"] {
                if phase == "compacted" {
                    #expect(try await store.compact(budget: 1_000_000).points == points.count)
                    #expect(try await store.ingestBacklog() == 0)
                }
                for (label, fromText, toText) in Self.windows {
                    let from = Self.utc(fromText)
                    let to = Self.utc(toText)
                    for granularity in Granularity.allCases {
                        for function in AggregateFunction.allCases {
                            let query = AggregationQuery(namespace: "t", name: "x", from: from, to: to, granularity: granularity,
                                                         function: function, timeZone: zone)
                            let engine = try await store.aggregate(query)
                            let expected = Self.reference(points, granularity: granularity, function: function, zone: zone, from: from, to: to)
                            #expect(engine.map(\.start) == expected.map(\.0), "\(label) \(granularity) \(function) \(zoneName) \(phase): bucket starts")
                            #expect(engine.map(\.count) == expected.map { Int64($0.2) }, "\(label) \(granularity) \(function) \(zoneName) \(phase): counts")
                            let valuesAgree = zip(engine.map(\.value), expected.map(\.1)).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) }
                            #expect(valuesAgree, "\(label) \(granularity) \(function) \(zoneName) \(phase): values")
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aBucketReportsItsEarliestPointTime(_ backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await store.register(AgentRegistration(agentID: "a", site: "s", hostname: "h", agentVersion: "1", instance: nil, instanceUUID: nil), at: Date())
            let points = [("2024-05-06T10:17:00Z", 3.0), ("2024-05-06T10:05:00Z", 1.0), ("2024-05-07T11:00:00Z", 2.0)]
                .map { SeriesPoint(namespace: "t", name: "x", time: Self.utc($0.0), value: $0.1) }
            _ = try await store.commit([IngestBatch(agentID: "a", sequence: 1, points: points)], at: Date())
            let buckets = try await store.aggregate(AggregationQuery(namespace: "t", name: "x", from: .distantPast, to: .distantFuture,
                                                                     granularity: .week, function: .avg))
            #expect(buckets.count == 1)
            #expect(buckets.first?.start == Self.utc("2024-05-06T00:00:00Z"))  // a Monday
            #expect(buckets.first?.first == Self.utc("2024-05-06T10:05:00Z"))
            #expect(buckets.first?.value == 2)
        }
    }

    /// Points arriving out of order into the same days, round after round:
    /// each round adds chunks to days that already have some, so chunks
    /// merge generation by generation. Every point is still read back
    /// exactly once, the points and the rollups agree, after every round.
    @Test(arguments: Backend.allCases)
    func mergedChunksKeepEveryPointOnce(_ backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await store.register(AgentRegistration(agentID: "a", site: "s", hostname: "h", agentVersion: "1", instance: nil, instanceUUID: nil), at: Date())
            var random = SplitMix(state: 14)
            let start = Self.utc("2024-02-27T00:00:00Z")
            var written: [Double: Int] = [:]
            var merged = 0
            for round in 1...12 {
                // Three days, 2,500 points in random order over them.
                let points = (0..<2_500).map { index in
                    let seconds = Double(Int.random(in: 0..<(3 * 86_400), using: &random))
                    return SeriesPoint(namespace: "t", name: "x", time: start.addingTimeInterval(seconds), value: Double(round * 10_000 + index))
                }
                for point in points { written[point.value, default: 0] += 1 }
                _ = try await store.commit([IngestBatch(agentID: "a", sequence: UInt64(round), points: points)], at: Date())
                let compacted = try await store.compact(budget: 1_000_000)
                merged += compacted.chunksMerged
                let read = try await store.points(namespace: "t", name: "x", from: .distantPast, to: .distantFuture)
                #expect(read.count == written.values.reduce(0, +), "round \(round)")
                #expect(zip(read, read.dropFirst()).allSatisfy { $0.time <= $1.time }, "round \(round): out of order")
                let daily = try await store.aggregate(AggregationQuery(namespace: "t", name: "x", from: .distantPast, to: .distantFuture,
                                                                       granularity: .day, function: .sum))
                #expect(daily.map(\.value).reduce(0, +) == read.map(\.value).reduce(0, +), "round \(round): rollups differ from points")
            }
            let read = try await store.points(namespace: "t", name: "x", from: .distantPast, to: .distantFuture)
            #expect(Dictionary(read.map { ($0.value, 1) }, uniquingKeysWith: +) == written)
            #expect(merged > 0, "no round merged chunks: the test did not reach the merge path")
        }
    }

    @Test(arguments: Backend.allCases)
    func retentionRemovesExactlyWhatIsOlder(_ backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await store.register(AgentRegistration(agentID: "a", site: "s", hostname: "h", agentVersion: "1", instance: nil, instanceUUID: nil), at: Date())
            let points = (0..<100).map { SeriesPoint(namespace: "t", name: "x", time: Self.utc("2024-01-01T00:00:00Z").addingTimeInterval(Double($0) * 3600), value: 1) }
            _ = try await store.commit([IngestBatch(agentID: "a", sequence: 1, points: points)], at: Date())
            _ = try await store.compact(budget: 1000)
            let cut = Self.utc("2024-01-02T00:00:00Z")
            let nanos = Int64(cut.timeIntervalSince1970 * 1e9)
            // Day one's chunk goes whole; minutes are kept longer, so its points
            // are downsampled into minute rollups first.
            let removed = try await store.expire(Retention.Cutoffs(raw: nanos, minute: .min, hour: .min, day: .min), chunk: 7)
            #expect(removed == 1)
            let left = try await store.points(namespace: "t", name: "x", from: .distantPast, to: .distantFuture)
            #expect(left.count == 76)
            #expect(left.first?.time == cut)
            let minutes = try await store.aggregate(AggregationQuery(namespace: "t", name: "x", from: Self.utc("2024-01-01T00:00:00Z"),
                                                                     to: cut, granularity: .minute, function: .count))
            #expect(minutes.count == 24)
            #expect(try await store.expire(Retention.Cutoffs(raw: nanos, minute: nanos, hour: .min, day: .min), chunk: 7) == 24)
            // Hour rollups were kept: a daily count over the whole range still sees day one.
            let days = try await store.aggregate(AggregationQuery(namespace: "t", name: "x", from: Self.utc("2024-01-01T00:00:00Z"),
                                                                  to: Self.utc("2024-01-05T00:00:00Z"), granularity: .day, function: .count))
            #expect(days.first?.count == 24)
        }
    }
}
