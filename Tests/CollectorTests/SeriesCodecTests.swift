import Foundation
import SeriesCodec
import Testing

/// The time-series chunk codec: exact round trips on the shapes the store
/// writes and on every edge of Int64 and IEEE 754, random sequences from a
/// seeded generator, and hostile bytes, which must throw and never trap.
@Suite("Series codec")
struct SeriesCodecTests {

    static let second: Int64 = 1_000_000_000
    static let yearStart: Int64 = 1_704_067_200 * second  // 2024-01-01T00:00:00Z

    // MARK: Round trips

    /// Encodes, then checks that every way of reading gives the points back
    /// bit for bit, and returns the chunk.
    @discardableResult
    static func roundTrip(_ points: [ChunkPoint], sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let bytes = ChunkCodec.encode(points)
        let decoded = try ChunkCodec.decode(bytes)
        #expect(decoded.count == points.count, sourceLocation: sourceLocation)
        if let index = points.indices.first(where: { $0 < decoded.count && decoded[$0] != points[$0] }) {
            Issue.record("point \(index) of \(points.count): \(points[index]) came back as \(decoded[index])",
                         sourceLocation: sourceLocation)
        }
        #expect(try ChunkCodec.count(bytes) == points.count, sourceLocation: sourceLocation)
        var visited: [ChunkPoint] = []
        try ChunkCodec.forEach(bytes) { time, value in visited.append(ChunkPoint(time: time, value: value)) }
        #expect(visited == points, sourceLocation: sourceLocation)
        var reader = try ChunkReader(bytes)
        #expect(reader.count == points.count, sourceLocation: sourceLocation)
        var read: [ChunkPoint] = []
        while let point = try reader.next() { read.append(point) }
        #expect(read == points, sourceLocation: sourceLocation)
        let afterTheEnd = try reader.next()
        #expect(afterTheEnd == nil, sourceLocation: sourceLocation)
        return bytes
    }

    static func series(count: Int, _ point: (Int) -> ChunkPoint) -> [ChunkPoint] {
        (0..<count).map(point)
    }

    /// The bench's events: times spread over a year by a multiplicative
    /// hash, values n % 1000.
    static func benchEvents(count: Int) -> [ChunkPoint] {
        series(count: count) { n in
            ChunkPoint(time: yearStart + (Int64(n) * 2_654_435_761) % 31_536_000 * second, value: Double(n % 1000))
        }
    }

    @Test func benchEventsSortedAndInArrivalOrder() throws {
        let events = Self.benchEvents(count: 20_000)
        try Self.roundTrip(events.sorted { $0.time < $1.time })
        for start in stride(from: 0, to: events.count, by: 2000) {
            try Self.roundTrip(Array(events[start..<min(start + 2000, events.count)]))
        }
    }

    @Test func hostStatsWithJitterAndTwoDecimals() throws {
        var random = SplitMix(state: 1)
        var cpu = 2500
        try Self.roundTrip(Self.series(count: 20_000) { n in
            cpu = min(10_000, max(0, cpu + Int.random(in: -300...300, using: &random)))
            let jitter = Int64.random(in: -5_000_000...5_000_000, using: &random)
            return ChunkPoint(time: Self.yearStart + Int64(n) * 10 * Self.second + jitter, value: Double(cpu) / 100)
        })
    }

    @Test func growingCounterWithAResetAndAMissingSample() throws {
        var random = SplitMix(state: 2)
        var total = 0.0
        try Self.roundTrip(Self.series(count: 20_000) { n in
            total = n == 7_000 ? 0 : total + Double(Int.random(in: 0...1_000_000, using: &random))
            let slot = Int64(n < 9_000 ? n : n + 1)  // one sample missing
            return ChunkPoint(time: Self.yearStart + slot * 10 * Self.second, value: total)
        })
    }

    @Test func constantEveryMinuteIsAFewBytesABlock() throws {
        let bytes = try Self.roundTrip(Self.series(count: 20_000) { n in
            ChunkPoint(time: Self.yearStart + Int64(n) * 60 * Self.second, value: 1)
        })
        #expect(Double(bytes.count) / 20_000 < 0.1)
    }

    @Test func emptyAndSinglePoints() throws {
        #expect(try Self.roundTrip([]) == [ChunkCodec.formatVersion, 0])
        try Self.roundTrip([ChunkPoint(time: 0, value: 0)])
        try Self.roundTrip([ChunkPoint(time: Self.yearStart, value: 12.34)])
        try Self.roundTrip([ChunkPoint(time: .min, value: -.nan)])
        try Self.roundTrip([ChunkPoint(time: .max, value: -0.0)])
    }

    @Test func extremeTimesAndJumps() throws {
        try Self.roundTrip([.min, .max, .min, .max, 0, -1, 1, .min, .min].map { ChunkPoint(time: $0, value: 1) })
        try Self.roundTrip([ChunkPoint(time: .max, value: 0), ChunkPoint(time: .min, value: 0)])
        // Every kind of jump inside one block and across block boundaries.
        try Self.roundTrip(Self.series(count: 1000) { n in
            let times: [Int64] = [.min, .max, 0, .min + 1, .max - 1, Self.yearStart, -Self.yearStart, 1 << 62, -(1 << 62)]
            return ChunkPoint(time: times[(n * 7) % times.count] &+ Int64(n), value: Double(n))
        })
    }

    @Test func duplicatesAndUnsortedTimes() throws {
        try Self.roundTrip(Array(repeating: ChunkPoint(time: Self.yearStart, value: 3), count: 500))
        try Self.roundTrip(Self.series(count: 1000) { n in
            ChunkPoint(time: Self.yearStart + Int64(n / 3) * Self.second, value: Double(n % 3))
        })
        var random = SplitMix(state: 3)
        try Self.roundTrip(Self.series(count: 3000) { _ in
            ChunkPoint(time: Self.yearStart + Int64.random(in: 0...86_400, using: &random) * Self.second, value: 1)
        })
        try Self.roundTrip(Self.series(count: 300) { n in
            ChunkPoint(time: Self.yearStart - Int64(n) * Self.second, value: Double(-n))
        })
    }

    static let specialValues: [Double] = [
        .nan, -.nan, .signalingNaN, Double(bitPattern: 0x7FF0_0000_0000_0001), Double(bitPattern: 0xFFF8_DEAD_BEEF_0042),
        .infinity, -.infinity, 0.0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .ulpOfOne, 1e300, 1e-300, 9_007_199_254_740_994,
        9_007_199_254_740_992, -9_007_199_254_740_992, 0.1 + 0.2, 1.0 / 3.0, .pi, 12.34, -0.001, 1e18, 1e-18,
    ]

    @Test func everySpecialValueSurvivesBitForBit() throws {
        try Self.roundTrip(Self.specialValues.enumerated().map { ChunkPoint(time: Int64($0.offset), value: $0.element) })
        // Each special value alone in an otherwise integer or decimal block.
        for special in Self.specialValues {
            for background in [5.0, 12.34] {
                try Self.roundTrip(Self.series(count: 300) { n in
                    ChunkPoint(time: Int64(n) * Self.second, value: n == 150 ? special : background + Double(n))
                })
            }
        }
    }

    @Test func mixedIntegerDecimalAndFloatValues() throws {
        // Blocks switch between integers, decimals of several scales and XOR.
        try Self.roundTrip(Self.series(count: 2000) { n in
            let value: Double = switch (n / 128) % 5 {
            case 0: Double(n)
            case 1: Double(n) / 100
            case 2: Double(n).squareRoot()
            case 3: Double(n * 1024)
            default: Double(n % 7) / 1000
            }
            return ChunkPoint(time: Int64(n) * Self.second, value: value)
        })
        // Mixed inside every block.
        try Self.roundTrip(Self.series(count: 1000) { n in
            ChunkPoint(time: Int64(n), value: n % 2 == 0 ? Double(n) : Double(n) / 3)
        })
    }

    @Test func blockBoundaries() throws {
        for count in [1, 2, 127, 128, 129, 255, 256, 257, 1023, 1025] {
            try Self.roundTrip(Self.series(count: count) { n in
                ChunkPoint(time: Self.yearStart + Int64(n * n) * Self.second, value: Double(n) * 0.5)
            })
        }
    }

    // MARK: Random sequences

    /// A sequence whose times and values follow one of several shapes, so
    /// that every coding (orders, patches, divisors, scales, XOR) is hit.
    static func randomSeries(_ random: inout SplitMix) -> [ChunkPoint] {
        let count = Int.random(in: 0...300, using: &random)
        let timeShape = Int.random(in: 0..<6, using: &random)
        let valueShape = Int.random(in: 0..<7, using: &random)
        let start = Int64(bitPattern: random.next()) >> Int.random(in: 0...63, using: &random)
        let step = Int64.random(in: 0...(1 << Int.random(in: 0...40, using: &random)), using: &random)
        let scale = [1.0, 10, 100, 1000, 1e6][Int.random(in: 0..<5, using: &random)]
        var time = start
        var integer = Int64.random(in: -1_000_000...1_000_000, using: &random)
        return (0..<count).map { _ in
            switch timeShape {
            case 0: time &+= step
            case 1: time &+= step &+ Int64.random(in: -1000...1000, using: &random)
            case 2: time = Int64(bitPattern: random.next())
            case 3: time = start &+ Int64.random(in: 0...100, using: &random) &* step
            case 4: time &+= Int.random(in: 0..<20, using: &random) == 0 ? step &* 50 : step
            default: time &+= Int64.random(in: -3...3, using: &random)
            }
            integer &+= Int64.random(in: -1000...1000, using: &random)
            let value: Double = switch valueShape {
            case 0: Double(bitPattern: random.next())
            case 1: Double(integer)
            case 2: Double(integer) / scale
            case 3: 42
            case 4: specialValues[Int.random(in: 0..<specialValues.count, using: &random)]
            case 5: Int.random(in: 0..<10, using: &random) == 0 ? Double(bitPattern: random.next()) : Double(integer) / scale
            default: Double.random(in: -1e6...1e6, using: &random)
            }
            return ChunkPoint(time: time, value: value)
        }
    }

    @Test func thousandsOfRandomSequences() throws {
        var random = SplitMix(state: 0x5EED)
        for _ in 0..<3000 {
            try Self.roundTrip(Self.randomSeries(&random))
        }
    }

    // MARK: Hostile bytes

    static func expectRefused(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: ChunkDecodingError.self, sourceLocation: sourceLocation) { try ChunkCodec.decode(bytes) }
        #expect(throws: ChunkDecodingError.self, sourceLocation: sourceLocation) { try ChunkCodec.forEach(bytes) { _, _ in } }
    }

    @Test func everyTruncationOfAValidChunkThrows() throws {
        var random = SplitMix(state: 4)
        let chunks = [
            ChunkCodec.encode(Self.benchEvents(count: 300).sorted { $0.time < $1.time }),
            ChunkCodec.encode(Self.specialValues.enumerated().map { ChunkPoint(time: Int64($0.offset) << 40, value: $0.element) }),
            ChunkCodec.encode(Self.randomSeries(&random)),
            ChunkCodec.encode([ChunkPoint(time: .min, value: .nan)]),
        ]
        for chunk in chunks {
            for length in 0..<chunk.count { Self.expectRefused(Array(chunk[0..<length])) }
            Self.expectRefused(chunk + [0])
        }
        #expect(throws: ChunkDecodingError.truncated(offset: 0)) { try ChunkCodec.decode([]) }
        #expect(throws: ChunkDecodingError.trailingBytes(count: 1)) { try ChunkCodec.decode([ChunkCodec.formatVersion, 0, 0]) }
    }

    @Test func aHeaderClaimingHugeCountsIsRefusedBeforeAllocating() throws {
        for claimed: UInt64 in [1 << 60, .max, UInt64(Int.max), 1 << 20] {
            var bytes: [UInt8] = [ChunkCodec.formatVersion]
            var rest = claimed
            while rest >= 0x80 { bytes.append(UInt8(rest & 0x7F) | 0x80); rest >>= 7 }
            bytes.append(UInt8(rest))
            bytes += Array(repeating: 0, count: 64)
            #expect(throws: ChunkDecodingError.implausibleCount(claimed, availableBytes: 64)) { try ChunkCodec.count(bytes) }
            Self.expectRefused(bytes)
            #expect(throws: ChunkDecodingError.self) { _ = try ChunkReader(bytes) }
        }
        // An 11-byte varint overflows 64 bits.
        Self.expectRefused([ChunkCodec.formatVersion] + Array(repeating: 0xFF, count: 10) + [0x01])
    }

    /// The bytes of a small chunk, pinned: chunks outlive the code that
    /// wrote them, so a change here needs a new format version.
    @Test func theFormatIsPinned() throws {
        // Version 1, 1 point, first time 5 (zigzag 10); time block: order 0,
        // width 0, base 0 (5 minus its prediction 5); value block: scale 0,
        // then an integer block of order 0, width 0, base 1 (zigzag 2).
        #expect(ChunkCodec.encode([ChunkPoint(time: 5, value: 1)]) == [1, 1, 10, 0, 0, 0, 0, 0, 0, 2])
        // Three points 10 s apart from time 0, valued 0.5, 1.5, 2.5. Time
        // block: order 1 (deltas 0, 10 s, 10 s), width 1, base 0, divisor
        // 10^10 (a 5-byte varint), quotients 0, 1, 1 as bits 0b110. Value
        // block: scale 1 (integers 5, 15, 25), then order 1, width 1, base 5
        // (zigzag 10), divisor 5, quotients 0, 1, 1 as bits 0b110.
        let points = (0..<3).map { ChunkPoint(time: Int64($0) * 10 * Self.second, value: Double($0) + 0.5) }
        #expect(ChunkCodec.encode(points) == [
            1, 3, 0,
            1, 1, 0, 0x80, 0xC8, 0xAF, 0xA0, 0x25, 0b110,
            1, 1, 1, 10, 5, 0b110,
        ])
    }

    @Test func otherVersionsAndMalformedFieldsAreRefused() throws {
        #expect(throws: ChunkDecodingError.unsupportedVersion(2)) { try ChunkCodec.decode([2, 0]) }
        let valid = ChunkCodec.encode([ChunkPoint(time: 5, value: 1)])
        // Header: version, count, first time; then the time block's flags.
        var badFlags = valid
        badFlags[3] = 0x03
        Self.expectRefused(badFlags)
        var badWidth = valid
        badWidth[4] = 65
        Self.expectRefused(badWidth)
        var badKind = valid
        badKind[6] = 0x81
        Self.expectRefused(badKind)
        for error in [ChunkDecodingError.truncated(offset: 3), .unsupportedVersion(9), .implausibleCount(7, availableBytes: 1),
                      .malformed("x", offset: 2), .trailingBytes(count: 4)] {
            #expect(!error.description.isEmpty)
        }
    }

    @Test func randomBytesAndMutatedChunksNeverTrap() throws {
        var random = SplitMix(state: 5)
        let valid = (0..<50).map { _ in ChunkCodec.encode(Self.randomSeries(&random)) }.filter { $0.count > 2 }
        for round in 0..<10_000 {
            var bytes: [UInt8]
            if round % 3 != 0 {
                bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                if round % 2 == 0, !bytes.isEmpty { bytes[0] = ChunkCodec.formatVersion }
            } else {
                bytes = valid[round % valid.count]
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            Self.decodedChunksReencodeToTheSamePoints(bytes)
        }
    }

    /// What fuzz/ checks for every input: decoding throws or gives points
    /// that re-encode to a chunk decoding to the same points.
    static func decodedChunksReencodeToTheSamePoints(_ bytes: [UInt8]) {
        guard let points = try? ChunkCodec.decode(bytes) else { return }
        #expect((try? ChunkCodec.decode(ChunkCodec.encode(points))) == points)
    }

    /// The fuzz target's inputs (`fuzz/corpus/series-codec`, seeds and past
    /// crashes) on every test run, through the same checks: as a chunk, and
    /// as points that must round-trip.
    @Test func fuzzCorpusInputs() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../fuzz/corpus/series-codec").standardizedFileURL
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names.count >= 3)
        for name in names {
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
            Self.decodedChunksReencodeToTheSamePoints(bytes)
            try Self.roundTrip(Self.fuzzInputPoints(bytes))
        }
        #expect(try ChunkCodec.count(Array(try Data(contentsOf: directory.appendingPathComponent("sorted-events")))) == 300)
    }

    /// The fuzz target's reading of its input as points, a copy of
    /// `SeriesCodecFuzz.points` in fuzz/Sources/collector-fuzz (an
    /// executable target, which tests can't import): a shape byte, then 16
    /// bytes a point.
    static func fuzzInputPoints(_ bytes: [UInt8]) -> [ChunkPoint] {
        guard let shape = bytes.first else { return [] }
        var points: [ChunkPoint] = []
        var time: Int64 = 0
        var index = 1
        while index + 16 <= bytes.count {
            var timeBits: UInt64 = 0
            var valueBits: UInt64 = 0
            for byte in 0..<8 {
                timeBits |= UInt64(bytes[index + byte]) << (8 * byte)
                valueBits |= UInt64(bytes[index + 8 + byte]) << (8 * byte)
            }
            if shape & 1 != 0 {
                let step = Int64(Int16(truncatingIfNeeded: timeBits))
                time = time &+ (shape & 2 != 0 ? step &* 1_000_000_000 : step)
            } else {
                time = Int64(bitPattern: timeBits)
            }
            let value = shape & 4 != 0
                ? Double(Int32(truncatingIfNeeded: valueBits)) / [1.0, 10, 100, 1000][Int(valueBits >> 32 & 3)]
                : Double(bitPattern: valueBits)
            points.append(ChunkPoint(time: time, value: value))
            index += 16
        }
        return points
    }

    // MARK: Size

    /// The bench's million events, sorted as compaction writes them,
    /// measured at 1.00 bytes a point: a regression in the coding fails here.
    @Test func benchEventsSortedStayUnderTheirMeasuredSize() throws {
        let sorted = Self.benchEvents(count: 1_000_000).sorted { $0.time < $1.time }
        let bytes = ChunkCodec.encode(sorted)
        #expect(Double(bytes.count) / Double(sorted.count) <= 1.1)
        #expect(try ChunkCodec.decode(bytes) == sorted)
    }
}
