import Foundation

/// Draws bar, line and pie charts into `ChartView`s: a plot area with
/// margins for the axis labels, a value axis from zero (or the smallest
/// value, when it is negative) to a rounded maximum, at most a dozen
/// labels along the key axis.
enum ChartDrawing {
    static let width = 640.0
    static let height = 280.0
    /// The top margin leaves the value axis's title a line above the top tick.
    static let margin = (left: 56.0, right: 12.0, top: 28.0, bottom: 44.0)
    /// Pie slices and table swatches, distinguishable in grey too.
    static let palette = ["#3b6ea5", "#e08a2c", "#4c9a5f", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd"]

    static func bar(_ data: ChartData, xTitle: String, small: Bool = false) -> ChartView {
        var view = frame(data, kind: .bar, xTitle: xTitle, small: small)
        guard let axes = view.axes, !data.entries.isEmpty else { return view }
        let scale = valueScale(data.entries.map(\.value))
        let slot = (axes.right - axes.left) / Double(data.entries.count)
        view.bars = data.entries.enumerated().map { index, entry in
            let top = y(entry.value, scale, axes), base = y(max(0, scale.lower), scale, axes)
            return ChartView.Bar(x: round(axes.left + slot * Double(index) + slot * 0.1), y: round(min(top, base)), width: round(slot * 0.8),
                                 height: round(abs(base - top)), key: entry.key, value: NumberText.format(entry.value))
        }
        view.axes?.yTicks = yTicks(scale, axes)
        view.axes?.xTicks = xTicks(data.entries.map(\.key), axes, centred: true)
        return view
    }

    static func line(_ data: ChartData, xTitle: String, small: Bool = false) -> ChartView {
        var view = frame(data, kind: .line, xTitle: xTitle, small: small)
        guard let axes = view.axes, !data.entries.isEmpty else { return view }
        let scale = valueScale(data.entries.map(\.value))
        let step = data.entries.count > 1 ? (axes.right - axes.left) / Double(data.entries.count - 1) : 0
        let points = data.entries.enumerated().map { index, entry in
            ChartView.Point(x: round(axes.left + step * Double(index) + (data.entries.count == 1 ? (axes.right - axes.left) / 2 : 0)),
                            y: round(y(entry.value, scale, axes)), radius: small ? 1.5 : 3, key: entry.key, value: NumberText.format(entry.value))
        }
        view.line = points.enumerated().map { index, point in "\(index == 0 ? "M" : "L")\(point.x) \(point.y)" }.joined(separator: " ")
        // Dots only where they can be told apart.
        view.points = points.count <= 120 ? points : []
        view.axes?.yTicks = yTicks(scale, axes)
        view.axes?.xTicks = xTicks(data.entries.map(\.key), axes, centred: false)
        return view
    }

    static func pie(_ data: ChartData) -> ChartView {
        var view = frame(data, kind: .pie, xTitle: "", small: false)
        view.axes = nil
        let total = data.entries.map { max(0, $0.value) }.reduce(0, +)
        guard total > 0 else { return view }
        let centre = (x: view.width / 2, y: view.height / 2), radius = view.height / 2 - 12
        var angle = -Double.pi / 2
        view.slices = data.entries.enumerated().map { index, entry in
            let sweep = max(0, entry.value) / total * 2 * .pi
            defer { angle += sweep }
            let fill = palette[index % palette.count]
            if sweep >= 2 * .pi - 1e-9 {
                // A whole circle cannot be one arc: two halves.
                return ChartView.Slice(path: "M\(round(centre.x - radius)) \(centre.y) a\(radius) \(radius) 0 1 0 \(2 * radius) 0 a\(radius) \(radius) 0 1 0 \(-2 * radius) 0 Z",
                                       fill: fill, key: entry.key, value: NumberText.format(entry.value))
            }
            let start = (x: centre.x + radius * cos(angle), y: centre.y + radius * sin(angle))
            let end = (x: centre.x + radius * cos(angle + sweep), y: centre.y + radius * sin(angle + sweep))
            return ChartView.Slice(path: "M\(centre.x) \(centre.y) L\(round(start.x)) \(round(start.y)) A\(radius) \(radius) 0 \(sweep > .pi ? 1 : 0) 1 \(round(end.x)) \(round(end.y)) Z",
                                   fill: fill, key: entry.key, value: NumberText.format(entry.value))
        }
        view.rows = zip(view.rows, view.slices).map { row, slice in ChartView.Row(key: row.key, value: row.value, swatch: slice.fill) }
        return view
    }

    static func frame(_ data: ChartData, kind: ChartView.Kind, xTitle: String, small: Bool) -> ChartView {
        let width = small ? 240.0 : Self.width, height = small ? 90.0 : Self.height
        let margin = small ? (left: 36.0, right: 4.0, top: 6.0, bottom: 18.0) : Self.margin
        let axes = ChartView.Axes(left: margin.left, right: width - margin.right, top: margin.top, bottom: height - margin.bottom,
                                  middle: (margin.left + width - margin.right) / 2,
                                  xTitleY: height - 6, xTitle: small ? "" : xTitle,
                                  yTitle: small ? "" : data.valueHeading + (data.unit.map { " (\($0))" } ?? ""), xTicks: [], yTicks: [])
        return ChartView(id: data.id, title: data.title, unit: data.unit, kind: kind.rawValue, small: small, width: width, height: height,
                         axes: axes, keyHeading: data.keyHeading, valueHeading: data.valueHeading,
                         rows: data.entries.map { ChartView.Row(key: $0.key, value: NumberText.format($0.value)) }, empty: data.entries.isEmpty)
    }

    struct Scale {
        var lower: Double
        var upper: Double
        var step: Double
    }

    /// From zero (or below, for negative values) to a "nice" maximum: 1, 2
    /// or 5 times a power of ten per tick.
    static func valueScale(_ values: [Double]) -> Scale {
        let finite = values.filter(\.isFinite)
        let high = max(finite.max() ?? 1, 0), low = min(finite.min() ?? 0, 0)
        // All values equal (a day with no PC on): a unit span, not ticks of 0.00.
        let span = high > low ? high - low : max(abs(high), 1)
        let raw = span / 4
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
        let upper = high <= 0 ? 0 : ceil(high / step) * step
        let lower = low >= 0 ? 0 : floor(low / step) * step
        return Scale(lower: lower, upper: upper == lower ? lower + step : upper, step: step)
    }

    static func y(_ value: Double, _ scale: Scale, _ axes: ChartView.Axes) -> Double {
        let fraction = (value - scale.lower) / (scale.upper - scale.lower)
        return axes.bottom - fraction * (axes.bottom - axes.top)
    }

    static func yTicks(_ scale: Scale, _ axes: ChartView.Axes) -> [ChartView.Tick] {
        stride(from: scale.lower, through: scale.upper + scale.step / 2, by: scale.step).map { value in
            ChartView.Tick(x: axes.left - 4, y: round(y(value, scale, axes)), label: NumberText.format(value))
        }
    }

    static func xTicks(_ keys: [String], _ axes: ChartView.Axes, centred: Bool) -> [ChartView.Tick] {
        guard !keys.isEmpty else { return [] }
        // About one label per 60 units of axis: a small chart gets a few.
        let labels = max(2.0, ((axes.right - axes.left) / 60).rounded(.down))
        let every = max(1, Int((Double(keys.count) / labels).rounded(.up)))
        let slot = centred ? (axes.right - axes.left) / Double(keys.count) : (keys.count > 1 ? (axes.right - axes.left) / Double(keys.count - 1) : 0)
        return keys.enumerated().compactMap { index, key in
            guard index % every == 0 else { return nil }
            let x = axes.left + slot * Double(index) + (centred ? slot / 2 : 0)
            return ChartView.Tick(x: round(x), y: axes.bottom + 14, label: key.count > 14 ? String(key.prefix(13)) + "…" : key)
        }
    }

    static func round(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
