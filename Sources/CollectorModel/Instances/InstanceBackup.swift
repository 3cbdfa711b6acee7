#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `collectorctl instances export-json`: every instance with its state,
/// country and last crawled document, to be imported under the same uuids
/// (which deployed instances keep using in their PATCH calls).
///
/// Which agent sat beside an instance is not carried over: agents and
/// their tokens belong to the collector they registered with, and an
/// agent that remembers the uuid claims its instance again when it
/// registers.
public struct InstanceBackup: Codable, Sendable, Equatable {
    public var instances: [Instance]

    public init(instances: [Instance]) {
        self.instances = instances.map { instance in
            var instance = instance
            instance.agentID = nil
            instance.site = nil
            return instance
        }
    }

    /// UTC, to the millisecond: `2024-03-01T12:00:00.123Z`.
    static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Self.timeStyle))
        }
        return encoder
    }

    /// Decodes and checks every instance; the first bad one is an error
    /// naming it, so an import stores all or nothing.
    public static func decode(_ json: String) throws(ValidationError) -> [Instance] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = (try? Self.timeStyle.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not an ISO 8601 time"))
            }
            return date
        }
        let backup: InstanceBackup
        do {
            backup = try decoder.decode(InstanceBackup.self, from: Data(json.utf8))
        } catch {
            throw ValidationError(field: "json", "not an instance backup: \(error)")
        }
        var seen = Set<UUID>()
        return try backup.instances.enumerated().map { (index, instance) throws(ValidationError) -> Instance in
            let field = "instances[\(index)]"
            var checked = instance
            do {
                checked.info = try instance.info.validated()
            } catch let error as ValidationError {
                throw ValidationError(field: "\(field).\(error.field)", error.message)
            } catch {
                throw ValidationError(field: field, "\(error)")
            }
            guard seen.insert(instance.uuid).inserted else {
                throw ValidationError(field: "\(field).uuid", "\(instance.uuid) appears twice")
            }
            if let json = instance.crawledJSON, (try? JSONValue.parseObject(Array(json.utf8))) == nil {
                throw ValidationError(field: "\(field).crawledJSON", "is not a JSON object")
            }
            guard instance.country == "unknown" || (instance.country.count == 2 && instance.country.allSatisfy(\.isLetter)) else {
                throw ValidationError(field: "\(field).country", "'\(instance.country)' is not a two-letter country code or 'unknown'")
            }
            checked.agentID = nil
            checked.site = nil
            return checked
        }
    }
}
