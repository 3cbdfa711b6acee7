import Foundation
import Mustache

/// One country of the committed map asset.
struct WorldCountry: Sendable {
    var code: String
    var name: String
    var path: String
    var box: (x: Double, y: Double, width: Double, height: Double)
}

/// What the `world-map` template draws.
struct WorldMapView {
    /// Drawn 170 times a map: read by name, not through Mirror (see ChartView).
    struct Country: MustacheParent {
        var code: String
        var name: String
        var path: String
        var fill: String
        var count: Int?
        var highlighted: Bool

        func child(named name: String) -> Any? {
            switch name {
            case "code": code
            case "name": self.name
            case "path": path
            case "fill": fill
            case "count": count
            case "highlighted": highlighted
            default: nil
            }
        }
    }

    struct LegendEntry {
        var fill: String
        var label: String
    }

    var id: String
    var title: String
    var small: Bool
    var viewBox: String
    var seaX: Double, seaY: Double, seaWidth: Double, seaHeight: Double
    var countries: [Country]
    var legend: [LegendEntry]
    /// Stored for the template (Mustache sees stored properties only).
    var hasLegend: Bool
}

/// The world map, as a choropleth of counts per country or as a close-up
/// of one country.
enum WorldMap {
    static let empty = "#e6e6e6"
    /// Five steps from light to dark blue.
    static let shades = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]

    /// Countries shaded by their count: five classes between one and the
    /// largest count, on a square-root scale so a few large countries do
    /// not wash out the rest.
    static func choropleth(id: String, title: String, counts: [String: Int]) -> WorldMapView {
        let largest = max(1, counts.values.max() ?? 1)
        func shade(_ count: Int) -> Int {
            min(shades.count - 1, Int((Double(count).squareRoot() / Double(largest).squareRoot() * Double(shades.count)).rounded(.up)) - 1)
        }
        let countries = WorldShapes.countries.map { country in
            let count = counts[country.code]
            return WorldMapView.Country(code: country.code, name: country.name, path: country.path,
                                        fill: count.map { shades[max(0, shade($0))] } ?? empty, count: count, highlighted: false)
        }
        var legend = [WorldMapView.LegendEntry(fill: empty, label: "none")]
        var lower = 1
        for index in shades.indices {
            // Class `index` holds the counts c with ceil(5·√(c/largest)) = index + 1.
            let upper = Int((Double(largest) * pow(Double(index + 1) / Double(shades.count), 2)).rounded(.down))
            if upper >= lower {
                legend.append(.init(fill: shades[index], label: lower == upper ? "\(lower)" : "\(lower)–\(upper)"))
                lower = upper + 1
            }
        }
        return WorldMapView(id: id, title: title, small: false, viewBox: "0 0 \(Int(WorldShapes.width)) \(Int(WorldShapes.height))",
                            seaX: 0, seaY: 0, seaWidth: WorldShapes.width, seaHeight: WorldShapes.height, countries: countries, legend: legend, hasLegend: !legend.isEmpty)
    }

    /// A close-up of one country with its neighbours; the whole world when
    /// the country is unknown (`unknown`, or a code the map lacks).
    static func locator(id: String, country code: String) -> WorldMapView {
        guard let target = WorldShapes.countries.first(where: { $0.code == code }) else {
            var view = choropleth(id: id, title: "Country unknown", counts: [:])
            view.small = true
            view.legend = []
            return view
        }
        // At least 40° by 20° around the country, so small ones have context.
        let width = max(target.box.width * 1.6, 80), height = max(target.box.height * 1.6, 40)
        let x = target.box.x + target.box.width / 2 - width / 2, y = target.box.y + target.box.height / 2 - height / 2
        let countries = WorldShapes.countries.filter { country in
            country.box.x < x + width && country.box.x + country.box.width > x && country.box.y < y + height && country.box.y + country.box.height > y
        }.map { country in
            WorldMapView.Country(code: country.code, name: country.name, path: country.path,
                                 fill: country.code == code ? shades[4] : empty, count: nil, highlighted: country.code == code)
        }
        return WorldMapView(id: id, title: "\(target.name) (\(code))", small: true, viewBox: "\(Int(x)) \(Int(y)) \(Int(width)) \(Int(height))",
                            seaX: x, seaY: y, seaWidth: width, seaHeight: height, countries: countries, legend: [], hasLegend: false)
    }
}
