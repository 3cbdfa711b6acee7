#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How one crawled field is shown and charted (the instance tracker's
/// `CRAWLED_FIELDS_SETTINGS` entry).
public struct CrawledFieldSetting: Codable, Sendable, Equatable {
    public enum ChartType: String, Codable, Sendable, CaseIterable { case bar, line, pie }

    /// Shown instead of the field name; `nil` means the default label.
    public var label: String?
    public var chart = false
    public var chartType = ChartType.bar
    /// Folds a list- or dict-valued field into one number; `nil` shows it as it is.
    public var aggregation: AggregateFunction?
    public var chartAggregation = AggregateFunction.count
    /// Another field, or `country`; ignored when the chart counts.
    public var chartAggregateBy = "country"

    public init(label: String? = nil, chart: Bool = false, chartType: ChartType = .bar, aggregation: AggregateFunction? = nil,
                chartAggregation: AggregateFunction = .count, chartAggregateBy: String = "country") {
        self.label = label
        self.chart = chart
        self.chartType = chartType
        self.aggregation = aggregation
        self.chartAggregation = chartAggregation
        self.chartAggregateBy = chartAggregateBy
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case label, chart, chartType = "chart_type", aggregation, chartAggregation = "chart_aggregation"
        case chartAggregateBy = "chart_aggregate_by"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let field = decoder.codingPath.map(\.stringValue).joined(separator: ".")
        func choice<T>(_ key: CodingKeys, _ parse: (String) -> T?, _ allowed: [String]) throws -> T? {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let value = parse(text.lowercased()) else {
                throw ConfigError("\(field).\(key.stringValue): '\(text)' is not one of \(allowed.joined(separator: ", "))")
            }
            return value
        }
        label = try c.decodeIfPresent(String.self, forKey: .label)
        chart = try c.decodeIfPresent(Bool.self, forKey: .chart) ?? false
        chartType = try choice(.chartType, ChartType.init(rawValue:), ChartType.allCases.map(\.rawValue)) ?? .bar
        let folds: [AggregateFunction] = [.sum, .avg, .min, .max]
        if let text = try c.decodeIfPresent(String.self, forKey: .aggregation), text.lowercased() != "none" {
            guard let fold = AggregateFunction(rawValue: text.lowercased()), folds.contains(fold) else {
                throw ConfigError("\(field).aggregation: '\(text)' is not one of none, \(folds.map(\.rawValue).joined(separator: ", "))")
            }
            aggregation = fold
        }
        chartAggregation = try choice(.chartAggregation, AggregateFunction.init(rawValue:), AggregateFunction.allCases.map(\.rawValue)) ?? .count
        chartAggregateBy = try c.decodeIfPresent(String.self, forKey: .chartAggregateBy) ?? "country"
        guard CrawledFieldSettings.isFieldName(chartAggregateBy) else {
            throw ConfigError("\(field).chart_aggregate_by: '\(chartAggregateBy)' is not a field name")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(label, forKey: .label)
        try c.encode(chart, forKey: .chart)
        try c.encode(chartType, forKey: .chartType)
        try c.encode(aggregation?.rawValue ?? "none", forKey: .aggregation)
        try c.encode(chartAggregation, forKey: .chartAggregation)
        try c.encode(chartAggregateBy, forKey: .chartAggregateBy)
    }
}

/// Every field's setting, by field name; a field set to `null` is hidden.
/// Fields with no setting are shown with their default label.
public struct CrawledFieldSettings: Codable, Sendable, Equatable {
    public var fields: [String: CrawledFieldSetting?]

    public init(_ fields: [String: CrawledFieldSetting?] = [:]) {
        self.fields = fields
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        var fields: [String: CrawledFieldSetting?] = [:]
        for key in c.allKeys {
            guard Self.isFieldName(key.stringValue) else { throw ConfigError("crawl.fields: '\(key.stringValue)' is not a field name") }
            fields[key.stringValue] = try c.decodeNil(forKey: key) ? .some(nil) : try c.decode(CrawledFieldSetting.self, forKey: key)
        }
        for (name, setting) in fields {
            if let setting, setting.chart, setting.chartAggregation != .count, setting.chartAggregateBy == name {
                throw ConfigError("crawl.fields.\(name).chart_aggregate_by: a field cannot be aggregated by itself")
            }
        }
        self.fields = fields
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        for (name, setting) in fields.sorted(by: { $0.key < $1.key }) {
            if let setting { try c.encode(setting, forKey: AnyCodingKey(stringValue: name)) } else {
                try c.encodeNil(forKey: AnyCodingKey(stringValue: name))
            }
        }
    }

    public func isHidden(_ field: String) -> Bool {
        if let setting = fields[field] { return setting == nil }
        return false
    }

    public func setting(for field: String) -> CrawledFieldSetting {
        (fields[field] ?? nil) ?? CrawledFieldSetting()
    }

    public func label(for field: String) -> String {
        setting(for: field).label ?? Self.defaultLabel(field)
    }

    /// `indico_version` → `Indico version`, as the tracker rendered it.
    public static func defaultLabel(_ field: String) -> String {
        let spaced = String(field.map { $0 == "_" ? " " : $0 })
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }

    /// The fields that get a chart, in name order.
    public var charted: [(name: String, setting: CrawledFieldSetting)] {
        fields.compactMap { name, setting in setting.flatMap { $0.chart ? (name, $0) : nil } }.sorted { $0.name < $1.name }
    }

    /// Field names are JSON keys that are also safe inside a JSON path.
    public static func isFieldName(_ name: String) -> Bool {
        (1...128).contains(name.utf8.count) && name.unicodeScalars.allSatisfy {
            ($0.isASCII && $0.isAlphanumeric) || "_-".unicodeScalars.contains($0)
        }
    }

    /// The value shown for a field: list- and dict-valued fields folded into
    /// one number when an aggregation is set (non-numbers are skipped).
    public func shownValue(of field: String, in document: [String: JSONValue]) -> JSONValue? {
        guard !isHidden(field), let value = document[field] else { return nil }
        guard let fold = setting(for: field).aggregation else { return value }
        let members: [JSONValue]
        switch value {
        case .array(let items): members = items
        case .object(let items): members = Array(items.values)
        default: return value
        }
        var accumulator = Accumulator()
        for number in members.compactMap(\.number) { accumulator.add(number, atNanos: 0) }
        return accumulator.count == 0 ? .null : .float(accumulator.value(fold))
    }

    /// The fields of a document as they are shown: hidden ones left out,
    /// labels applied, aggregations folded, in label order.
    public func present(_ document: [String: JSONValue]) -> [PresentedField] {
        document.keys.compactMap { name in
            shownValue(of: name, in: document).map { PresentedField(name: name, label: label(for: name), value: $0) }
        }.sorted { ($0.label, $0.name) < ($1.label, $1.name) }
    }
}

public struct PresentedField: Sendable, Equatable, Codable {
    public var name: String
    public var label: String
    public var value: JSONValue

    public init(name: String, label: String, value: JSONValue) {
        self.name = name
        self.label = label
        self.value = value
    }
}
