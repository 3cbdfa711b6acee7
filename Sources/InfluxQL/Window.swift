import Foundation

/// GROUP BY time buckets as InfluxDB 1.6 cuts them: aligned to the epoch
/// plus the offset, and with `tz()` to the zone's wall clock, including the
/// adjustments around daylight-saving changes (a bucket never moves by an
/// offset change as large as itself). A port of `IteratorOptions.Window`.
struct Windowing {
    /// Bucket width in nanoseconds; 0 without GROUP BY time.
    var interval: Int64
    var offset: Int64
    var zone: TimeZone?
    /// The query's inclusive time range.
    var start: Int64
    var end: Int64

    var hasInterval: Bool { interval > 0 }

    func zoneOffset(_ ns: Int64) -> Int64 {
        guard let zone else { return 0 }
        return Int64(TimeFormat.offset(zone, at: ns)) * Duration.second
    }

    /// The start and end (exclusive) of the bucket holding `time`.
    func window(_ time: Int64) -> (start: Int64, end: Int64) {
        guard interval > 0 else { return (start, end &+ 1) }
        let t = time &- offset
        let zoneOffset = zone != nil ? self.zoneOffset(t) : 0
        var dt = (t &+ zoneOffset) % interval
        if dt < 0 { dt += interval }
        var windowStart: Int64
        if influxMinTime &+ dt >= t {
            windowStart = influxMinTime
        } else {
            windowStart = t &- dt
        }
        if zone != nil {
            let startOffset = self.zoneOffset(windowStart)
            let o = zoneOffset &- startOffset
            if o != 0 && abs(o) < interval { windowStart &+= o }
        }
        windowStart &+= offset

        var windowEnd: Int64
        let remaining = interval - dt
        if influxMaxTime &- remaining <= t {
            windowEnd = influxMaxTime
        } else {
            windowEnd = t &+ remaining
        }
        if zone != nil {
            let endOffset = self.zoneOffset(windowEnd)
            let o = zoneOffset &- endOffset
            if o != 0 && abs(o) < interval {
                if o > 0 {
                    windowEnd &+= o
                } else if self.zoneOffset(windowEnd &+ o) == endOffset {
                    windowEnd &+= o
                }
            }
        }
        windowEnd &+= offset
        return (windowStart, windowEnd)
    }
}

/// A value at a time, or a hole (nil) that fill() may fill.
struct TimedValue {
    var time: Int64
    var value: InfluxValue?
    /// For a selector's value: the group member and time of the selected
    /// point, so that tags and fields selected beside it can be read.
    var member: Int? = nil
    var origin: Int64? = nil
}

/// The fill iterator: turns one series' non-empty buckets (in output order)
/// into every bucket of the query's range, filled by the fill option. A
/// port of InfluxDB's, including its quirks: with no lower time bound the
/// first bucket is the series' first; linear fill interpolates on bucket
/// numbers; `fill(0)` on a string column fills with "".
enum Fill {
    static func apply(
        _ points: [TimedValue], windowing: Windowing, ascending: Bool, option: FillOption, type: InfluxFieldType
    ) -> [TimedValue] {
        guard let first = points.first else { return [] }
        let startTime = ascending ? windowing.window(windowing.start).start : windowing.window(windowing.end).start
        let endTime = ascending ? windowing.window(windowing.end).start : windowing.window(windowing.start).start
        var windowTime = startTime == influxMinTime ? windowing.window(first.time).start : startTime
        var windowOffset = windowing.zone != nil ? windowing.zoneOffset(windowTime) : 0
        var previous: TimedValue?
        var output: [TimedValue] = []
        var index = 0
        var guardCount = 0
        while true {
            guardCount += 1
            if guardCount > 50_000_000 { break }  // a runaway range; the caller bounds buckets first
            let p: TimedValue? = index < points.count ? points[index] : nil
            if p == nil {
                let inside = ascending ? windowTime <= endTime : (windowTime >= endTime && endTime != influxMinTime)
                if !inside { break }
            }
            var emitted: TimedValue
            if let p, (ascending && p.time <= windowTime) || (!ascending && p.time >= windowTime) {
                emitted = p
                index += 1
                previous = p
            } else {
                emitted = TimedValue(time: windowTime, value: nil)
                switch option {
                case .null, .none: break
                case .number(let v, _): emitted.value = cast(v, to: type)
                case .previous: emitted.value = previous?.value
                case .linear:
                    if let previous, let prevValue = previous.value, let next = p, let nextValue = next.value {
                        emitted.value = linear(window: windowTime, previous: previous.time, next: next.time,
                                               previousValue: prevValue, nextValue: nextValue, interval: windowing.interval)
                    }
                }
            }
            output.append(emitted)
            windowTime = ascending ? windowTime &+ windowing.interval : windowTime &- windowing.interval
            if windowing.zone != nil {
                let offset = windowing.zoneOffset(windowTime &- 1)
                if offset != windowOffset {
                    let diff = windowOffset - offset
                    if abs(diff) < windowing.interval { windowTime &+= diff }
                    windowOffset = offset
                }
            }
        }
        return output
    }

    static func cast(_ v: Double, to type: InfluxFieldType) -> InfluxValue {
        switch type {
        case .float: return .float(v)
        case .integer: return .integer(v.isFinite && abs(v) < 9.2e18 ? Int64(v) : 0)
        case .unsigned: return .unsigned(v.isFinite && v >= 0 && v < 1.8e19 ? UInt64(v) : 0)
        case .string: return .string("")
        case .boolean: return .boolean(false)
        }
    }

    static func linear(window: Int64, previous: Int64, next: Int64, previousValue: InfluxValue, nextValue: InfluxValue, interval: Int64) -> InfluxValue? {
        let w = window / interval
        let p = previous / interval
        let n = next / interval
        guard n != p else { return previousValue }
        switch (previousValue, nextValue) {
        case (.float(let a), .float(let b)):
            return .float((b - a) / Double(n - p) * Double(w - p) + a)
        case (.integer(let a), .integer(let b)):
            let v = Double(b &- a) / Double(n - p) * Double(w - p) + Double(a)
            return .integer(v.isFinite && abs(v) < 9.2e18 ? Int64(v) : 0)
        case (.unsigned(let a), .unsigned(let b)):
            let v = (Double(b) - Double(a)) / Double(n - p) * Double(w - p) + Double(a)
            return .unsigned(v.isFinite && v >= 0 && v < 1.8e19 ? UInt64(v) : 0)
        default:
            return nil
        }
    }
}
