#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The statistics page: where the instances are, and every configured chart.
public struct InstanceStatistics: Sendable, Equatable, Codable {
    public struct CountryShare: Sendable, Equatable, Codable {
        public var country: String
        public var count: Int
        public var percent: Double
    }

    public struct Row: Sendable, Equatable, Codable {
        public var key: String
        public var value: Double
    }

    public struct Chart: Sendable, Equatable, Codable {
        public var field: String
        public var label: String
        public var type: CrawledFieldSetting.ChartType
        public var aggregation: AggregateFunction
        /// The field rows are grouped by; `nil` when the chart counts instances
        /// per value of the field itself.
        public var aggregateBy: String?
        public var rows: [Row]
    }

    /// Registrations on one UTC day, and all of them up to its end.
    public struct DayCount: Sendable, Equatable, Codable {
        public var day: String
        public var count: Int
        public var cumulative: Int
    }

    public var total: Int
    public var countries: [CountryShare]
    public var charts: [Chart]
    /// Instances with crawling enabled.
    public var active: Int
    /// Per UTC day that saw a registration, oldest first.
    public var registrations: [DayCount]

    /// One instance as the statistics see it.
    public struct Input: Sendable {
        public var country: String
        public var document: [String: JSONValue]?
        public var created: Date
        public var enabled: Bool

        public init(country: String, document: [String: JSONValue]?, created: Date = Date(timeIntervalSince1970: 0), enabled: Bool = true) {
            self.country = country
            self.document = document
            self.created = created
            self.enabled = enabled
        }
    }

    public init(total: Int, countries: [CountryShare], charts: [Chart], active: Int = 0, registrations: [DayCount] = []) {
        self.total = total
        self.countries = countries
        self.charts = charts
        self.active = active
        self.registrations = registrations
    }

    public init(_ inputs: [Input], settings: CrawledFieldSettings) {
        total = inputs.count
        var perCountry: [String: Int] = [:]
        for input in inputs { perCountry[input.country, default: 0] += 1 }
        let total = self.total
        countries = perCountry.map { CountryShare(country: $0.key, count: $0.value, percent: total == 0 ? 0 : Double($0.value) * 100 / Double(total)) }
            .sorted { ($1.count, $0.country) < ($0.count, $1.country) }
        charts = settings.charted.map { Self.chart(field: $0.name, setting: $0.setting, inputs: inputs, settings: settings) }
        active = inputs.filter(\.enabled).count
        registrations = Self.registrations(inputs)
    }

    static func registrations(_ inputs: [Input]) -> [DayCount] {
        // Days as numbers, formatted once each: a date formatter per
        // instance made this page take a second at 10,000 instances.
        var perDay: [Int64: Int] = [:]
        for input in inputs { perDay[CivilDate(containingNanos: input.created.clampedNanos).daysSinceEpoch, default: 0] += 1 }
        var cumulative = 0
        return perDay.sorted { $0.key < $1.key }.map { day, count in
            cumulative += count
            return DayCount(day: CivilDate(daysSinceEpoch: day).text, count: count, cumulative: cumulative)
        }
    }

    static func chart(field: String, setting: CrawledFieldSetting, inputs: [Input], settings: CrawledFieldSettings) -> Chart {
        let counting = setting.chartAggregation == .count
        var groups: [String: Accumulator] = [:]
        for input in inputs {
            guard let document = input.document, let value = settings.shownValue(of: field, in: document) else { continue }
            if counting {
                if value != .null { groups[value.displayText, default: Accumulator()].add(1, atNanos: 0) }
                continue
            }
            guard let number = value.number else { continue }
            let key: String
            if setting.chartAggregateBy == "country" {
                key = input.country
            } else {
                guard let by = document[setting.chartAggregateBy], by != .null else { continue }
                key = by.displayText
            }
            groups[key, default: Accumulator()].add(number, atNanos: 0)
        }
        var rows = groups.map { Row(key: $0.key, value: $0.value.value(setting.chartAggregation)) }
        if setting.chartType == .line {
            rows.sort { $0.key < $1.key }
        } else {
            rows.sort { ($1.value, $0.key) < ($0.value, $1.key) }
        }
        return Chart(field: field, label: settings.label(for: field), type: setting.chartType, aggregation: setting.chartAggregation,
                     aggregateBy: counting ? nil : setting.chartAggregateBy, rows: rows)
    }
}
