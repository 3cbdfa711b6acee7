/// The aggregate and selector functions, each a port of InfluxDB 1.6's
/// reducer so that ties, empty inputs and result types come out the same:
/// `first` on equal times takes the larger value, `max` on equal values the
/// earlier time, `mean` and `median` are always floats, `sum` of integers
/// stays an integer, `stddev` of one value is null.
enum Aggregates {
    /// One input value, with the group member it came from (for selectors
    /// that also return tags or other fields of the selected point).
    struct Input {
        var time: Int64
        var value: InfluxValue
        var member: Int
    }

    struct Output {
        var time: Int64?
        var value: InfluxValue?
        var member: Int?
    }

    static let selectors: Set<String> = ["first", "last", "min", "max", "percentile", "sample", "top", "bottom"]
    static let aggregates: Set<String> = ["count", "sum", "mean", "median", "mode", "stddev", "spread", "min", "max", "first", "last", "percentile"]
    static let transforms: Set<String> = ["derivative", "non_negative_derivative", "difference", "non_negative_difference"]

    /// The type the function returns for an input type.
    static func resultType(_ function: String, _ input: InfluxFieldType) -> InfluxFieldType {
        switch function {
        case "count": .integer
        case "mean", "median", "stddev", "derivative", "non_negative_derivative": .float
        default: input
        }
    }

    /// InfluxDB's refusal of a function on a type it cannot reduce.
    static func typeError(_ function: String, _ type: InfluxFieldType) -> String? {
        let numeric: Set<InfluxFieldType> = [.float, .integer, .unsigned]
        let allowed: Set<InfluxFieldType>
        switch function {
        case "count", "first", "last": return nil
        case "min", "max": allowed = numeric.union([.boolean])
        default: allowed = numeric
        }
        if allowed.contains(type) { return nil }
        let iterator = type == .boolean ? "boolean" : type.rawValue
        return "unsupported \(function) iterator type: *query.\(iterator)InterruptIterator"
    }

    /// Reduces one bucket's values (in time order) with `function`.
    static func reduce(_ function: String, _ inputs: [Input], argument: Double = 0) -> Output? {
        guard let first = inputs.first else { return nil }
        switch function {
        case "count":
            return Output(time: nil, value: .integer(Int64(inputs.count)), member: nil)
        case "sum":
            switch first.value {
            case .integer:
                var total: Int64 = 0
                for input in inputs { if case .integer(let v) = input.value { total &+= v } }
                return Output(time: nil, value: .integer(total), member: nil)
            case .unsigned:
                var total: UInt64 = 0
                for input in inputs { if case .unsigned(let v) = input.value { total &+= v } }
                return Output(time: nil, value: .unsigned(total), member: nil)
            default:
                var total = 0.0
                for input in inputs { total += input.value.number ?? 0 }
                return Output(time: nil, value: .float(total), member: nil)
            }
        case "mean":
            if case .integer = first.value {
                var total: Int64 = 0
                for input in inputs { if case .integer(let v) = input.value { total &+= v } }
                return Output(time: nil, value: .float(Double(total) / Double(inputs.count)), member: nil)
            }
            var total = 0.0
            for input in inputs { total += input.value.number ?? 0 }
            return Output(time: nil, value: .float(total / Double(inputs.count)), member: nil)
        case "median":
            let sorted = inputs.compactMap(\.value.number).sorted()
            if sorted.count == 1 { return Output(time: nil, value: .float(sorted[0]), member: nil) }
            if sorted.count % 2 == 0 {
                let lo = sorted[sorted.count / 2 - 1]
                let hi = sorted[sorted.count / 2]
                return Output(time: nil, value: .float(lo + (hi - lo) / 2), member: nil)
            }
            return Output(time: nil, value: .float(sorted[sorted.count / 2]), member: nil)
        case "stddev":
            let values = inputs.compactMap(\.value.number)
            if values.count < 2 { return Output(time: nil, value: .float(.nan), member: nil) }
            var mean = 0.0
            var count = 0
            for v in values where !v.isNaN {
                count += 1
                mean += (v - mean) / Double(count)
            }
            var variance = 0.0
            for v in values where !v.isNaN { variance += (v - mean) * (v - mean) }
            return Output(time: nil, value: .float((variance / Double(count - 1)).squareRoot()), member: nil)
        case "spread":
            switch first.value {
            case .integer:
                let values = inputs.compactMap { if case .integer(let v) = $0.value { v } else { nil } }
                return Output(time: nil, value: .integer((values.max() ?? 0) &- (values.min() ?? 0)), member: nil)
            case .unsigned:
                let values = inputs.compactMap { if case .unsigned(let v) = $0.value { v } else { nil } }
                return Output(time: nil, value: .unsigned((values.max() ?? 0) &- (values.min() ?? 0)), member: nil)
            default:
                let values = inputs.compactMap(\.value.number)
                return Output(time: nil, value: .float((values.max() ?? 0) - (values.min() ?? 0)), member: nil)
            }
        case "min", "max", "first", "last":
            var best = first
            for input in inputs.dropFirst() where replaces(function, current: best, candidate: input) { best = input }
            return Output(time: best.time, value: best.value, member: best.member)
        case "percentile":
            let count = inputs.count
            let index = Int((Double(count) * argument / 100 + 0.5).rounded(.down)) - 1
            guard index >= 0, index < count else { return nil }
            let sorted = inputs.sorted { a, b in
                let (x, y) = (a.value.number ?? 0, b.value.number ?? 0)
                return x != y ? x < y : a.time < b.time
            }
            return Output(time: sorted[index].time, value: sorted[index].value, member: sorted[index].member)
        default:
            return nil
        }
    }

    /// Whether `candidate` displaces `current` for a selector.
    static func replaces(_ function: String, current: Input, candidate: Input) -> Bool {
        switch (current.value, candidate.value) {
        case (.boolean(let a), .boolean(let b)):
            switch function {
            case "min": return (a != b && !b) || (a == b && candidate.time < current.time)
            case "max": return (a != b && b) || (a == b && candidate.time < current.time)
            case "first": return candidate.time < current.time || (candidate.time == current.time && !b && a)
            default: return candidate.time > current.time || (candidate.time == current.time && b && !a)
            }
        default:
            let greater = isGreater(candidate.value, than: current.value)
            let equal = !greater && !isGreater(current.value, than: candidate.value)
            switch function {
            case "min": return isGreater(current.value, than: candidate.value) || (equal && candidate.time < current.time)
            case "max": return greater || (equal && candidate.time < current.time)
            case "first": return candidate.time < current.time || (candidate.time == current.time && greater)
            default: return candidate.time > current.time || (candidate.time == current.time && greater)
            }
        }
    }

    static func isGreater(_ a: InfluxValue, than b: InfluxValue) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x > y
        case (.unsigned(let x), .unsigned(let y)): return x > y
        case (.string(let x), .string(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) == false && x != y
        default: return (a.number ?? 0) > (b.number ?? 0)
        }
    }

    /// derivative(), non_negative_derivative(), difference() and
    /// non_negative_difference() over a series' values in output order,
    /// skipping holes and repeated times as InfluxDB's stream reducers do.
    static func transform(_ function: String, _ points: [TimedValue], unit: Int64, ascending: Bool) -> [TimedValue] {
        var output: [TimedValue] = []
        var previous: TimedValue?
        var current: TimedValue?
        for point in points where point.value != nil {
            if let current, current.time == point.time { continue }
            previous = current
            current = point
            guard let prev = previous, let curr = current, let a = prev.value, let b = curr.value else { continue }
            switch function {
            case "derivative", "non_negative_derivative":
                let diff: Double
                if case .integer(let x) = a, case .integer(let y) = b { diff = Double(y &- x) } else { diff = (b.number ?? 0) - (a.number ?? 0) }
                var elapsed = curr.time - prev.time
                if !ascending { elapsed = -elapsed }
                let value = diff / (Double(elapsed) / Double(unit))
                if function == "non_negative_derivative" && diff < 0 { continue }
                output.append(TimedValue(time: curr.time, value: .float(value)))
            default:
                let value: InfluxValue
                var negative = false
                switch (a, b) {
                case (.integer(let x), .integer(let y)):
                    value = .integer(y &- x)
                    negative = y &- x < 0
                case (.unsigned(let x), .unsigned(let y)):
                    value = .unsigned(y &- x)
                    negative = y < x
                default:
                    let d = (b.number ?? 0) - (a.number ?? 0)
                    value = .float(d)
                    negative = d < 0
                }
                if function == "non_negative_difference" && negative { continue }
                output.append(TimedValue(time: curr.time, value: value))
            }
        }
        return output
    }
}
