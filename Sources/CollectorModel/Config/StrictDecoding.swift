#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import YAMLCoding

/// Config files are decoded strictly: a key the program does not know is a
/// mistake (a typo silently ignored is a setting silently not applied), so it
/// is an error that names the key and where it was.
public struct AnyCodingKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int?
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

extension Decoder {
    /// Throws when the object being decoded has keys outside `known`.
    public func rejectUnknownKeys<Key: CodingKey & CaseIterable>(_ known: Key.Type) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        let allowed = Set(Key.allCases.map(\.stringValue))
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            let path = (codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw ConfigError("unknown key '\(path)'; expected one of: \(allowed.sorted().joined(separator: ", "))")
        }
    }
}

extension [any CodingKey] {
    /// `limits.min_free_disk`: where a value sits in a config file.
    public var keyPath: String {
        let path = map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? "(top level)" : path
    }
}

public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum ConfigFile {
    /// Reads and strictly decodes a YAML file, with `environment`'s
    /// overrides applied, turning decoding errors into one readable line
    /// naming the key path.
    public static func load<T: Decodable>(_ type: T.Type, from path: String,
                                          environment: ConfigEnvironment? = nil) throws -> T {
        let bytes: [UInt8]
        do {
            bytes = try WholeFile.bytes(at: path)
        } catch {
            throw ConfigError("cannot read config file \(error.message)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError("config file \(path) is not UTF-8 text")
        }
        return try decode(type, yaml: text, source: path, environment: environment)
    }

    /// The file at `path` when there is one, else the defaults, with the
    /// environment's overrides either way.
    public static func loadOrDefaults<T: Decodable>(_ type: T.Type, from path: String?, environment: ConfigEnvironment) throws -> T {
        if let path { return try load(type, from: path, environment: environment) }
        return try decode(type, yaml: "", source: "defaults", environment: environment)
    }

    public static func decode<T: Decodable>(_ type: T.Type, yaml: String, source: String = "config",
                                            environment: ConfigEnvironment? = nil) throws -> T {
        var source = source
        if let environment, !environment.isEmpty {
            source += " with " + environment.overrides.map(\.variable).joined(separator: ", ")
        }
        do {
            let document = try YAMLNode.compose(yaml) ?? .mapping(YAMLMapping())
            return try YAMLDecoder().decode(type, from: try environment?.apply(to: document) ?? document)
        } catch {
            throw ConfigError("\(source): \(describe(error))")
        }
    }

    /// One readable line naming the key path. An error wrapped as the
    /// underlying error of a corrupted-data error is the one that says what
    /// is wrong.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as ConfigError:
            return error.description
        case let error as ValidationError:
            return error.description
        case let DecodingError.typeMismatch(expected, context):
            return "'\(path(context))' has the wrong type; expected \(expected)"
        case let DecodingError.valueNotFound(expected, context):
            return "'\(path(context))' is missing a value of type \(expected)"
        case let DecodingError.keyNotFound(key, context):
            return "required key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))' is missing"
        case let DecodingError.dataCorrupted(context):
            if let underlying = context.underlyingError { return describe(underlying) }
            return "'\(path(context))': \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.keyPath
    }
}

/// A duration in a config file, written as `10s`, `5m`, `24h`.
public struct ConfigDurationValue: Codable, Sendable, Equatable {
    public var duration: Duration

    public init(_ duration: Duration) { self.duration = duration }

    /// Errors name the key, as sizes do.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            duration = try ConfigDuration.parse(text)
        } catch {
            throw ConfigError("\(decoder.codingPath.keyPath): \(error.message)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ConfigDuration.format(duration))
    }
}

/// The log levels both daemons accept, by name.
public enum LogLevelName {
    public static let all = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    public static func validate(_ name: String, key: String = "log_level") throws {
        guard all.contains(name) else { throw ConfigError("\(key) '\(name)' is not one of \(all.joined(separator: ", "))") }
    }
}
