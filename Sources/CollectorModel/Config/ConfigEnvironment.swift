#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import YAMLCoding

/// Environment variables that override keys of a config file, so a secret
/// can come from the unit's `EnvironmentFile=` or a container's environment
/// rather than a file on disk, and one setting can change without editing
/// the packaged conffile.
///
/// A variable is the prefix plus the key path in upper case, sections
/// joined by a double underscore (single underscores belong to key names):
/// `COLLECTOR_LOG_LEVEL=debug` sets `log_level`, and
/// `COLLECTOR_CRAWL__INTERVAL=1h` sets `crawl.interval`. Values are read as
/// YAML scalars, so `16` is a number, `true` a boolean and `null` or `~`
/// null (an empty value stays an empty string: for some keys it means
/// "off"); a value that starts with `[` or `{` is a YAML list or mapping.
/// The decoded result is
/// checked as strictly as the file: an unknown key is an error that names
/// its variable.
public struct ConfigEnvironment: Sendable, Equatable {
    public struct Override: Sendable, Equatable {
        public var variable: String
        public var path: [String]
        public var value: String
    }

    public var overrides: [Override]

    /// - Parameter ignoring: prefixes that belong to another program
    ///   (`COLLECTOR_AGENT_` for the collector, whose own prefix is a
    ///   prefix of it).
    public init(_ environment: [String: String], prefix: String, ignoring: [String] = []) {
        overrides = environment.keys.sorted().compactMap { variable in
            guard variable.hasPrefix(prefix), !ignoring.contains(where: { variable.hasPrefix($0) }),
                  let value = environment[variable] else { return nil }
            let path = variable.dropFirst(prefix.count).components(separatedBy: "__").map { $0.lowercased() }
            guard !path.contains(where: \.isEmpty) else { return nil }
            return Override(variable: variable, path: path, value: value)
        }
    }

    public var isEmpty: Bool { overrides.isEmpty }

    /// What YAML reads as null in a plain scalar, but for the empty string.
    static let nullSpellings: Set<String> = ["null", "Null", "NULL", "~"]

    /// The file's document with every override set, sections created as needed.
    func apply(to document: YAMLNode) throws -> YAMLNode {
        var document = document
        for override in overrides {
            let value: YAMLNode
            if override.value.hasPrefix("[") || override.value.hasPrefix("{") {
                guard let parsed = try? YAMLNode.compose(override.value) else {
                    throw ConfigError("\(override.variable): '\(override.value)' is not a YAML list or mapping")
                }
                value = parsed
            } else if Self.nullSpellings.contains(override.value) {
                value = .null
            } else {
                // Plain scalar: a token such as `a: b` stays a string.
                value = YAMLNode(override.value)
            }
            document = try set(value, at: override.path[...], in: document, variable: override.variable)
        }
        return document
    }

    private func set(_ value: YAMLNode, at path: ArraySlice<String>, in node: YAMLNode, variable: String) throws -> YAMLNode {
        guard let key = path.first else { return value }
        guard var mapping = node.mapping else {
            throw ConfigError("\(variable): '\(path.joined(separator: "."))' is inside a value that is not a section")
        }
        let child = mapping[key] ?? .mapping(YAMLMapping())
        mapping[key] = try set(value, at: path.dropFirst(), in: child, variable: variable)
        return .mapping(mapping)
    }
}
