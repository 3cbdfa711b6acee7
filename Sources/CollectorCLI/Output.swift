import CollectorModel
import Foundation
import SwiftProtobuf

/// Listings print a table for people or, with `--json`, JSON for scripts.
enum Output {
    static func json(_ messages: [some SwiftProtobuf.Message]) throws -> String {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        options.alwaysPrintEnumsAsInts = false
        let items = try messages.map { try $0.jsonString(options: options) }
        return "[" + items.joined(separator: ",\n") + "]"
    }

    static func json(_ message: some SwiftProtobuf.Message) throws -> String {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        return try message.jsonString(options: options)
    }

    static func json(object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Nanoseconds since the epoch as an ISO 8601 UTC time, or "-" for never.
    static func time(_ nanos: UInt64) -> String {
        guard nanos > 0 else { return "-" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(nanos) / 1e9))
    }

    static func bytes(_ value: UInt64) -> String { ByteCount.text(value) }
}
