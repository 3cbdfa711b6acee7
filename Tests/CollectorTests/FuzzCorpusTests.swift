@testable import AgentKit
import CollectorModel
import CollectorProto
import CollectorServer
import CollectorWire
import Foundation
import Testing

/// Every input in `fuzz/corpus` — the seeds and each crash fuzz/run found —
/// goes through the same parsers on every test run, without sanitizers:
/// a crash found once stays fixed.
@Suite("Fuzz corpus regressions")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../fuzz/corpus").standardizedFileURL.path

    static func inputs(_ target: String) throws -> [[UInt8]] {
        let directory = (corpus as NSString).appendingPathComponent(target)
        return try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { name in
            Array(try Data(contentsOf: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(name))))
        }
    }

    @Test func theCorpusIsThere() throws {
        #expect(try Self.inputs("legacy-track").count >= 2)
    }

    @Test func aCombiningMarkInsideATimestampIsRefusedNotACrash() throws {
        let body = Array(#"{"timestamp": "11-1-1\#u{32B}1:1"}"#.utf8)
        #expect(throws: (any Error).self) { try TrackBody.event(json: body) }
        #expect(DjangoDateTime.parse("2020-11-12T11:10:00\u{32B}Z") == nil)
        #expect(DjangoDateTime.parse("2020-11-12T11:10:00Z") != nil)
        #expect(LegacyTime.parseISO8601("2020-11-12T11:10:00\u{32B}Z") == nil)
    }

    @Test func hugeDurationsAndSizesAreRefusedNotATrap() throws {
        #expect(throws: ConfigError.self) { try ConfigFile.decode(ConfigDurationValue.self, yaml: String(repeating: "1", count: 46)) }
        #expect(throws: ConfigError.self) { try ConfigFile.decode(ConfigDurationValue.self, yaml: "99999999999999999d") }
        #expect(throws: ConfigError.self) { try ConfigFile.decode(ByteCount.self, yaml: "99999999999999GiB") }
        #expect(try ConfigFile.decode(ConfigDurationValue.self, yaml: "7d").duration == .seconds(7 * 86400))
    }

    @Test func everyInputParsesOrIsRefused() throws {
        for bytes in try Self.inputs("legacy-track") { _ = try? TrackBody.event(json: bytes) }
        for bytes in try Self.inputs("legacy-event") { _ = try? LegacyEventBody.parseEventService(bytes) }
        for bytes in try Self.inputs("legacy-instance") {
            _ = try? LegacyInstanceBody.registration(bytes)
            _ = try? LegacyInstanceBody.patch(bytes)
        }
        for bytes in try Self.inputs("crawled-json") {
            // As the fuzz target checks: what is stored reads back as what was stored.
            guard let object = try? JSONValue.parseObject(bytes) else { continue }
            let text = JSONValue.text(object)
            #expect((try? JSONValue.parseObject(Array(text.utf8))).map(JSONValue.text) == text, "\(text)")
        }
        for bytes in try Self.inputs("config-yaml") {
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? ConfigFile.decode(CrawledFieldSettings.self, yaml: text)
            _ = try? ConfigFile.decode(ConfigDurationValue.self, yaml: text)
            _ = try? ConfigFile.decode(ByteCount.self, yaml: text)
        }
        for bytes in try Self.inputs("service-config") {
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? ConfigFile.decode(CollectorConfig.self, yaml: text)
            _ = try? ConfigFile.decode(AgentConfig.self, yaml: text)
        }
        for bytes in try Self.inputs("icmp-reply") { _ = ICMPMessage.parse(bytes, family: .v4, includesIPHeader: true) }
        for bytes in try Self.inputs("wire-batch") {
            if let batch = try? Collector_V1_Batch(serializedBytes: bytes) {
                _ = try? IngestBatch(batch, limits: WireLimits(maxBatchItems: 1000))
            }
        }
    }
}
