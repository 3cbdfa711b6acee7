#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which instances to list, in which order, one page at a time.
public struct InstanceQuery: Sendable, Equatable {
    /// The columns every instance has; any other name is a crawled field.
    public enum MainField: String, Sendable, CaseIterable {
        case uuid, created, updated, url, contact, email, organization, country, enabled
    }

    /// What an instance is sorted or filtered by: a main column or a
    /// top-level key of its crawled document.
    public enum Field: Sendable, Equatable {
        case main(MainField)
        case crawled(String)

        public static func parse(_ name: String, field: String) throws(ValidationError) -> Field {
            if let main = MainField(rawValue: name) { return .main(main) }
            guard CrawledFieldSettings.isFieldName(name) else {
                throw ValidationError(field: field, "'\(name)' is not a field name (letters, digits, _ and -)")
            }
            return .crawled(name)
        }
    }

    public struct FieldFilter: Sendable, Equatable {
        public enum Comparison: String, Sendable, CaseIterable {
            case equal = "eq", less = "lt", greater = "gt"
        }

        public var field: Field
        public var comparison: Comparison
        public var value: String

        public init(field: Field, comparison: Comparison, value: String) {
            self.field = field
            self.comparison = comparison
            self.value = value
        }

        /// `field=value`, `field<value`, `field>value`: the command line's form.
        public static func parse(_ text: String) throws(ValidationError) -> FieldFilter {
            guard let index = text.firstIndex(where: { "=<>".contains($0) }) else {
                throw ValidationError(field: "filter", "'\(text)' is not FIELD=VALUE, FIELD<VALUE or FIELD>VALUE")
            }
            let comparison: Comparison = switch text[index] {
            case "<": .less
            case ">": .greater
            default: .equal
            }
            let field = try Field.parse(String(text[..<index]), field: "filter")
            return FieldFilter(field: field, comparison: comparison, value: String(text[text.index(after: index)...]))
        }
    }

    /// Where the last crawl left an instance.
    public enum CrawlState: String, Sendable, CaseIterable {
        case ok, failed, never
    }

    public var enabled: Bool?
    public var country: String?
    public var organization: String?
    /// Case-insensitive text in url or contact.
    public var text: String?
    public var crawlState: CrawlState?
    public var filters: [FieldFilter]
    public var sortBy: Field
    public var descending: Bool
    public var limit: Int
    public var offset: Int

    public init(enabled: Bool? = nil, country: String? = nil, organization: String? = nil, text: String? = nil,
                crawlState: CrawlState? = nil, filters: [FieldFilter] = [], sortBy: Field = .main(.created),
                descending: Bool = false, limit: Int = 100, offset: Int = 0) {
        self.enabled = enabled
        self.country = country
        self.organization = organization
        self.text = text
        self.crawlState = crawlState
        self.filters = filters
        self.sortBy = sortBy
        self.descending = descending
        self.limit = limit
        self.offset = offset
    }
}

public struct InstancePage: Sendable, Equatable {
    public var instances: [Instance]
    public var total: Int

    public init(instances: [Instance], total: Int) {
        self.instances = instances
        self.total = total
    }
}
