/// Which rows answer an aggregation. Where an hour or day rollup aligns
/// with the buckets, it covers the aligned interior of the window and raw
/// points cover the edges (and everything, for `none` and `minute`, or a
/// window too short). Raw points are the chunks, and the minute rollups
/// that chunks become when minutes outlive raw points. Retention splits the
/// window first: each part is read only from the levels that still keep
/// it, so old data kept only by the day level is still found, and nothing
/// is counted twice.
public struct AggregationPlan: Sendable, Equatable {
    public enum Source: Sendable, Hashable {
        case raw
        case rollup(RollupLevel)
    }

    public struct Step: Sendable, Equatable {
        public var source: Source
        public var range: Range<Int64>
    }

    public private(set) var steps: [Step] = []

    /// The rollup levels a plan reads; minutes are read with raw points.
    static let levels: [RollupLevel] = [.hour, .day]

    public init(buckets: TimeBuckets, from: Int64, to: Int64, cutoffs: Retention.Cutoffs = .keepAll) {
        self.init(from: from, to: to, cutoffs: cutoffs) { level, from, to in buckets.isAligned(with: level, from: from, to: to) }
    }

    /// `aligned` says whether a level's rows fall wholly inside the
    /// buckets over a range.
    public init(from: Int64, to: Int64, cutoffs: Retention.Cutoffs = .keepAll,
                aligned: (RollupLevel, Int64, Int64) -> Bool) {
        guard from < to else { return }
        let rawCut = Swift.min(cutoffs.raw, cutoffs.minute)
        let cuts = [rawCut] + Self.levels.map(cutoffs.cut)
        let bounds = ([from, to] + cuts.filter { $0 > from && $0 < to }).sorted()
        for (start, end) in zip(bounds, bounds.dropFirst()) where start < end {
            plan(start..<end, aligned: aligned, raw: start >= rawCut, levels: Self.levels.filter { start >= cutoffs.cut($0) })
        }
    }

    private mutating func plan(_ range: Range<Int64>, aligned: (RollupLevel, Int64, Int64) -> Bool, raw: Bool, levels: [RollupLevel]) {
        // Where raw points are gone, the finest level kept stands in for them.
        let edges: Source? = raw ? .raw : levels.min().map(Source.rollup)
        for candidate in levels.sorted().reversed() where aligned(candidate, range.lowerBound, range.upperBound) {
            let width = candidate.widthNanos
            let first = candidate.start(ofNanos: range.lowerBound)
            let alignedFrom = first == range.lowerBound ? first : first &+ width
            let alignedTo = candidate.start(ofNanos: range.upperBound)
            guard alignedFrom < alignedTo else { continue }
            if range.lowerBound < alignedFrom, let edges { steps.append(Step(source: edges, range: range.lowerBound..<alignedFrom)) }
            steps.append(Step(source: .rollup(candidate), range: alignedFrom..<alignedTo))
            if alignedTo < range.upperBound, let edges { steps.append(Step(source: edges, range: alignedTo..<range.upperBound)) }
            return
        }
        if let edges { steps.append(Step(source: edges, range: range)) }
    }
}
