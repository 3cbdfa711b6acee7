#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The keys whose values differ between two configurations, as dotted
/// paths (`crawl.interval`, `inputs.ping.enabled`): what a reload reports
/// as applied and as waiting for a restart.
public enum ConfigDifference {
    public static func paths<T: Encodable>(from old: T, to new: T) -> [String] {
        let before = leaves(of: old)
        let after = leaves(of: new)
        return Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    }

    /// Every leaf value as its JSON text, by dotted path; lists count as
    /// one leaf, so a changed endpoint list is one difference.
    static func leaves<T: Encodable>(of value: T) -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value), let document = try? JSONValue(parsing: data) else { return [:] }
        var result: [String: String] = [:]
        func walk(_ value: JSONValue, _ path: String) {
            if let object = value.object {
                for (key, child) in object { walk(child, path.isEmpty ? key : "\(path).\(key)") }
            } else {
                result[path] = value.text()
            }
        }
        walk(document, "")
        return result
    }
}
