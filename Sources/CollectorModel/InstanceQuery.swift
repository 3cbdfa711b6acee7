import Foundation

/// Which instances to list, in which order, one page at a time.
public struct InstanceQuery: Sendable, Equatable {
    public enum SortKey: String, Sendable, CaseIterable {
        case created, updated, url, contact, email, organization, country, enabled
    }

    public var enabled: Bool?
    public var country: String?
    public var organization: String?
    /// Case-insensitive text in url or contact.
    public var text: String?
    public var sortBy: SortKey
    public var descending: Bool
    public var limit: Int
    public var offset: Int

    public init(enabled: Bool? = nil, country: String? = nil, organization: String? = nil, text: String? = nil,
                sortBy: SortKey = .created, descending: Bool = false, limit: Int = 100, offset: Int = 0) {
        self.enabled = enabled
        self.country = country
        self.organization = organization
        self.text = text
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
