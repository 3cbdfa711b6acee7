import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
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

    static func json(object: [String: JSONValue]) -> String {
        JSONValue.object(object).text()
    }

    /// Nanoseconds since the epoch as an ISO 8601 UTC time, or "-" for never.
    static func time(_ nanos: UInt64) -> String {
        guard nanos > 0 else { return "-" }
        return LegacyTime.iso8601Seconds(Date(timeIntervalSince1970: Double(nanos) / 1e9))
    }

    /// Progress, notes and errors: on standard error, unbuffered, so they
    /// neither mix into output piped to another program nor wait for it.
    static func toStandardError(_ text: String) {
        try? DurableFile.write(Array(text.utf8), to: STDERR_FILENO, path: "standard error")
    }

    static func bytes(_ value: UInt64) -> String { ByteCount.text(value) }
}
