#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What an application instance says about itself.
public struct InstanceInfo: Sendable, Equatable, Codable {
    public var url: String
    public var contact: String
    public var email: String
    public var organization: String

    public init(url: String, contact: String, email: String, organization: String) {
        self.url = url
        self.contact = contact
        self.email = email
        self.organization = organization
    }

    /// Checks the fields and normalises the URL (no trailing `/`), as the
    /// instance tracker always did.
    public func validated() throws(ValidationError) -> InstanceInfo {
        var copy = self
        copy.url = try Self.validated(url: url)
        guard !contact.isEmpty else { throw ValidationError(field: "contact", "is required") }
        guard !email.isEmpty else { throw ValidationError(field: "email", "is required") }
        // The tracker's clients send an address; anything without a local
        // part and a domain is a typo, not a way to reach the contact.
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !email.contains(where: \.isWhitespace) else {
            throw ValidationError(field: "email", "'\(email)' is not an e-mail address")
        }
        for (field, value) in [("url", copy.url), ("contact", contact), ("email", email), ("organization", organization)]
        where value.utf8.count > 2048 {
            throw ValidationError(field: field, "is longer than 2048 bytes")
        }
        return copy
    }

    /// An http or https URL with a host, without its trailing `/`.
    public static func validated(url: String, field: String = "url") throws(ValidationError) -> String {
        let normalised = normalise(url: url)
        guard !normalised.isEmpty else { throw ValidationError(field: field, "is required") }
        guard let parsed = URL(string: normalised), let scheme = parsed.scheme?.lowercased(),
              scheme == "http" || scheme == "https", parsed.host != nil
        else { throw ValidationError(field: field, "'\(url)' is not an http or https URL") }
        return normalised
    }

    public static func normalise(url: String) -> String {
        var url = url.trimmingSpaces()
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

public struct CrawlOutcome: Sendable, Equatable, Codable {
    public var time: Date
    /// ok, http_status, timeout, bad_json, refused, error
    public var result: String
    public var httpStatus: Int
    public var detail: String

    public init(time: Date, result: String, httpStatus: Int = 0, detail: String = "") {
        self.time = time
        self.result = result
        self.httpStatus = httpStatus
        self.detail = detail
    }
}

public struct Instance: Sendable, Equatable, Codable {
    public var uuid: UUID
    public var info: InstanceInfo
    public var enabled: Bool
    public var country: String
    public var created: Date
    public var updated: Date
    public var lastCrawl: CrawlOutcome?
    public var crawledJSON: String?
    public var agentID: String?
    public var site: String?

    public init(
        uuid: UUID, info: InstanceInfo, enabled: Bool = true, country: String = "unknown",
        created: Date, updated: Date, lastCrawl: CrawlOutcome? = nil, crawledJSON: String? = nil,
        agentID: String? = nil, site: String? = nil
    ) {
        self.uuid = uuid
        self.info = info
        self.enabled = enabled
        self.country = country
        self.created = created
        self.updated = updated
        self.lastCrawl = lastCrawl
        self.crawledJSON = crawledJSON
        self.agentID = agentID
        self.site = site
    }
}
