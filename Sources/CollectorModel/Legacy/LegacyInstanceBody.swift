#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A change to an instance: each present key replaces the stored value.
public struct InstancePatch: Sendable, Equatable {
    public var url: String?
    public var contact: String?
    public var email: String?
    public var organization: String?
    public var enabled: Bool?

    public init(url: String? = nil, contact: String? = nil, email: String? = nil, organization: String? = nil, enabled: Bool? = nil) {
        self.url = url
        self.contact = contact
        self.email = email
        self.organization = organization
        self.enabled = enabled
    }

    /// The instance's information with the patch applied, validated.
    public func applied(to info: InstanceInfo) throws(ValidationError) -> InstanceInfo {
        try InstanceInfo(url: url ?? info.url, contact: contact ?? info.contact, email: email ?? info.email,
                         organization: organization ?? info.organization).validated()
    }
}

/// The instance tracker's registration API (seeds 000/001) as Indico's
/// community-hub client speaks it: bodies in, errors and summaries out.
public enum LegacyInstanceBody {
    /// The tracker's error bodies, each a 400.
    public enum Failure: Error, Sendable, Equatable {
        case invalidJSON
        case missingField(String)
        case invalidValue(String)
        case unexpectedData([String: JSONValue])

        public var body: String {
            switch self {
            case .invalidJSON:
                return JSONText.object([("error", JSONText.string("Invalid JSON"))])
            case .missingField(let field):
                return JSONText.object([("error", JSONText.string("Missing field")), ("field", JSONText.string(field))])
            case .invalidValue(let field):
                return JSONText.object([("error", JSONText.string("Invalid value")), ("field", JSONText.string(field))])
            case .unexpectedData(let data):
                return JSONText.object([("error", JSONText.string("Unexpected data")), ("data", JSONValue.text(data))])
            }
        }
    }

    static let patchKeys: Set<String> = ["enabled", "url", "contact", "email", "organization", "organisation"]

    /// POST: `url`, `contact` and `email` are required; `organization` (or
    /// the older `organisation`) may be empty or absent.
    public static func registration(_ body: some Collection<UInt8>) throws(Failure) -> InstanceInfo {
        let object = try parse(body)
        func required(_ key: String) throws(Failure) -> String {
            guard let value = object[key], value != .null else { throw .missingField(key) }
            guard case .string(let text) = value else { throw .invalidValue(key) }
            return text
        }
        let url = try required("url")
        let contact = try required("contact")
        let email = try required("email")
        let organization = try self.organization(in: object) ?? ""
        return try validated(InstanceInfo(url: url, contact: contact, email: email, organization: organization))
    }

    /// PATCH: absent and `null` keys are skipped; unknown keys refuse the
    /// whole change.
    public static func patch(_ body: some Collection<UInt8>) throws(Failure) -> InstancePatch {
        let object = try parse(body)
        let unexpected = object.filter { !patchKeys.contains($0.key) }
        guard unexpected.isEmpty else { throw .unexpectedData(unexpected) }
        func text(_ key: String) throws(Failure) -> String? {
            guard let value = object[key], value != .null else { return nil }
            guard case .string(let text) = value, key == "organization" || key == "organisation" || !text.isEmpty else {
                throw .invalidValue(key)
            }
            return text
        }
        var patch = InstancePatch(url: try text("url"), contact: try text("contact"), email: try text("email"),
                                  organization: try organization(in: object))
        if let enabled = object["enabled"], enabled != .null {
            guard case .bool(let flag) = enabled else { throw .invalidValue("enabled") }
            patch.enabled = flag
        }
        // The values are checked against the stored instance when applied
        // (`InstancePatch.applied(to:)`), in the same transaction.
        return patch
    }

    /// `{"uuid", "enabled", "url", "contact", "email", "organization",
    /// "organisation", "registered"}`, echoing what the client sent.
    public static func summary(_ instance: Instance) -> String {
        JSONText.object([
            ("uuid", JSONText.string(instance.uuid.uuidString.lowercased())),
            ("enabled", instance.enabled ? "true" : "false"),
            ("url", JSONText.string(instance.info.url)),
            ("contact", JSONText.string(instance.info.contact)),
            ("email", JSONText.string(instance.info.email)),
            ("organization", JSONText.string(instance.info.organization)),
            ("organisation", JSONText.string(instance.info.organization)),
            ("registered", JSONText.string(LegacyTime.httpDate(instance.created))),
        ])
    }

    public static func created(_ uuid: UUID) -> String {
        JSONText.object([("uuid", JSONText.string(uuid.uuidString.lowercased()))])
    }

    private static func parse(_ body: some Collection<UInt8>) throws(Failure) -> [String: JSONValue] {
        do {
            return try JSONValue.parseObject(body)
        } catch {
            throw .invalidJSON
        }
    }

    private static func organization(in object: [String: JSONValue]) throws(Failure) -> String? {
        for key in ["organization", "organisation"] {
            guard let value = object[key], value != .null else { continue }
            guard case .string(let text) = value else { throw .invalidValue(key) }
            return text
        }
        return nil
    }

    private static func validated(_ info: InstanceInfo) throws(Failure) -> InstanceInfo {
        let checked: InstanceInfo
        do {
            checked = try info.validated()
        } catch {
            throw .invalidValue(error.field)
        }
        return checked
    }
}
