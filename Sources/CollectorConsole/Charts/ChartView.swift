import Foundation
import Mustache

/// What the `chart` template draws: geometry computed here, every label
/// and key escaped by the template. The parts drawn many times (ticks,
/// bars, points, slices, table rows) name their fields for the template
/// (`MustacheParent`): read through `Mirror`, which walks every property for
/// each name asked, they took a quarter of a page's time.
struct ChartView {
    enum Kind: String { case bar, line, pie }

    /// Read by name as well: a tick's template asks the axes for `left` and
    /// `right`, and a name a part lacks is looked for up the stack.
    struct Axes: MustacheParent {
        var left: Double, right: Double, top: Double, bottom: Double
        var middle: Double
        var xTitleY: Double
        var xTitle: String
        var yTitle: String
        var xTicks: [Tick]
        var yTicks: [Tick]

        func child(named name: String) -> Any? {
            switch name {
            case "left": left
            case "right": right
            case "top": top
            case "bottom": bottom
            case "middle": middle
            case "xTitleY": xTitleY
            case "xTitle": xTitle
            case "yTitle": yTitle
            case "xTicks": xTicks
            case "yTicks": yTicks
            default: nil
            }
        }
    }

    struct Tick: MustacheParent {
        var x: Double
        var y: Double
        var label: String

        func child(named name: String) -> Any? {
            switch name {
            case "x": x
            case "y": y
            case "label": label
            default: nil
            }
        }
    }

    struct Bar: MustacheParent {
        var x: Double, y: Double, width: Double, height: Double
        var key: String
        var value: String

        func child(named name: String) -> Any? {
            switch name {
            case "x": x
            case "y": y
            case "width": width
            case "height": height
            case "key": key
            case "value": value
            default: nil
            }
        }
    }

    struct Point: MustacheParent {
        var x: Double, y: Double
        var radius: Double
        var key: String
        var value: String

        func child(named name: String) -> Any? {
            switch name {
            case "x": x
            case "y": y
            case "radius": radius
            case "key": key
            case "value": value
            default: nil
            }
        }
    }

    struct Slice: MustacheParent {
        var path: String
        var fill: String
        var key: String
        var value: String

        func child(named name: String) -> Any? {
            switch name {
            case "path": path
            case "fill": fill
            case "key": key
            case "value": value
            default: nil
            }
        }
    }

    struct Row: MustacheParent {
        var key: String
        var value: String
        var swatch: String?

        func child(named name: String) -> Any? {
            switch name {
            case "key": key
            case "value": value
            case "swatch": swatch
            default: nil
            }
        }
    }

    var id: String
    var title: String
    var unit: String?
    var kind: String
    var small = false
    var width: Double
    var height: Double
    var axes: Axes?
    var bars: [Bar] = []
    var line: String?
    var points: [Point] = []
    var slices: [Slice] = []
    var keyHeading: String
    var valueHeading: String
    var rows: [Row]
    var empty = false
}

extension ChartView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "unit": unit
        case "kind": kind
        case "small": small
        case "width": width
        case "height": height
        case "axes": axes
        case "bars": bars
        case "line": line
        case "points": points
        case "slices": slices
        case "keyHeading": keyHeading
        case "valueHeading": valueHeading
        case "rows": rows
        case "empty": empty
        default: nil
        }
    }
}

/// The numbers a chart shows, in order: what both the drawing and the table
/// beside it are made from.
struct ChartData {
    var id: String
    var title: String
    var unit: String?
    var keyHeading: String
    var valueHeading: String
    var entries: [(key: String, value: Double)]
}
