#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How long each level of a series is kept: raw points, and the minute,
/// hour and day rollups; nil keeps a level forever. A point older than the
/// raw retention is still taken: it goes into the rollup levels that keep
/// its time, so a client replaying last year's data loses nothing the
/// configuration means to keep.
public struct Retention: Sendable, Equatable {
    public var raw: TimeInterval?
    public var rollups: [RollupLevel: TimeInterval]
    /// Levels absent from `rollups` keep forever.
    public init(raw: TimeInterval? = nil, rollups: [RollupLevel: TimeInterval] = [:]) {
        self.raw = raw
        self.rollups = rollups
    }

    /// Keeps everything.
    public static let forever = Retention()

    /// Writes fold by the cutoffs of this long ago: a time accepted by the
    /// validators a moment (or a slow commit) before is still kept. Expiry
    /// removes the surplus on its next pass.
    public static let writeGrace: TimeInterval = 86400

    /// The cutoffs a write folds points by.
    public func writeCutoffs(now: Date) -> Cutoffs {
        cutoffs(now: now.addingTimeInterval(-Self.writeGrace))
    }

    /// How old a time may be and still be kept by some level; nil when a
    /// level keeps forever.
    public var maxAge: TimeInterval? {
        guard let raw, RollupLevel.allCases.allSatisfy({ rollups[$0] != nil }) else { return nil }
        return RollupLevel.allCases.reduce(raw) { max($0, rollups[$1] ?? 0) }
    }

    /// The oldest time, in nanoseconds, each level keeps at `now`
    /// (`Int64.min` for a level kept forever). A rollup level keeps whole
    /// buckets: its cut is the start of the bucket holding `now - age`, so
    /// every time the validators accept has its bucket kept.
    public func cutoffs(now: Date) -> Cutoffs {
        func cut(_ age: TimeInterval?, _ level: RollupLevel?) -> Int64 {
            guard let age else { return .min }
            let nanos = Int64(((now.timeIntervalSince1970 - age) * 1e9).rounded())
            return level?.start(ofNanos: nanos) ?? nanos
        }
        return Cutoffs(raw: cut(raw, nil), minute: cut(rollups[.minute], .minute), hour: cut(rollups[.hour], .hour),
                       day: cut(rollups[.day], .day))
    }

    public struct Cutoffs: Sendable, Equatable {
        public var raw: Int64
        public var minute: Int64
        public var hour: Int64
        public var day: Int64

        public static let keepAll = Cutoffs(raw: .min, minute: .min, hour: .min, day: .min)

        public init(raw: Int64, minute: Int64, hour: Int64, day: Int64) {
            self.raw = raw
            self.minute = minute
            self.hour = hour
            self.day = day
        }

        public func cut(_ level: RollupLevel) -> Int64 {
            switch level {
            case .minute: minute
            case .hour: hour
            case .day: day
            }
        }

        /// Whether the level keeps the bucket holding `nanos`.
        public func keeps(_ level: RollupLevel, nanos: Int64) -> Bool {
            level.start(ofNanos: nanos) >= cut(level)
        }
    }
}
