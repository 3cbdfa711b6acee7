import CollectorModel
import CollectorProto
import CollectorWire
import FuzzDriver
import Foundation

/// One binary, one target per run: `FUZZ_TARGET` names the parser that
/// libFuzzer feeds. Each target takes bytes from the network or from a
/// file an operator wrote; none may crash, hang or accept what it should
/// refuse without saying so.
enum FuzzTarget: String, CaseIterable {
    /// An agent's batch off the wire: protobuf decoding, then validation.
    case wireBatch = "wire-batch"
    /// The event service's `POST /log/event/` body.
    case legacyEvent = "legacy-event"
    /// The tracking API's `POST /api/track/` body.
    case legacyTrack = "legacy-track"
    /// The instance tracker's registration and PATCH bodies.
    case legacyInstance = "legacy-instance"
    /// Crawled documents.
    case crawledJSON = "crawled-json"
    /// `crawl.fields` and the other config types CollectorModel decodes strictly.
    case configYAML = "config-yaml"
    /// ICMP and ICMPv6 replies, with and without the IPv4 header.
    case icmpReply = "icmp-reply"
    /// Time-series chunks read back from the store, and points round-tripped
    /// through the chunk codec (SeriesCodecFuzz).
    case seriesCodec = "series-codec"
    /// Rows of the collector's ingest log: the series directory, each
    /// section's chunk, and the round trip of a row built from the input.
    case ingestLogRow = "ingest-log-row"
    /// `/query`'s `q` (InfluxQL).
    case influxQL = "influxql"
    /// `/write`'s body (InfluxDB line protocol), parsed and validated.
    case lineProtocol = "line-protocol"

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set FUZZ_TARGET to one of: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .wireBatch:
            guard let batch = try? Collector_V1_Batch(serializedBytes: bytes) else { return }
            _ = try? IngestBatch(batch, limits: WireLimits(maxBatchItems: 1000))
        case .legacyEvent:
            _ = try? LegacyEventBody.parseEventService(bytes)
        case .legacyTrack:
            _ = try? TrackBody.event(json: bytes)
        case .legacyInstance:
            _ = try? LegacyInstanceBody.registration(bytes)
            _ = try? LegacyInstanceBody.patch(bytes)
        case .crawledJSON:
            if let object = try? JSONValue.parseObject(bytes) {
                // What is stored must read back as what was stored. (Not as
                // what was parsed: a whole float such as 2.5e3 is stored as
                // 2500, as Foundation stored it, and reads back an integer.)
                let text = JSONValue.text(object)
                guard let reread = try? JSONValue.parseObject(Array(text.utf8)), JSONValue.text(reread) == text else {
                    fatalError("round trip changed \(text)")
                }
            }
        case .configYAML:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? ConfigFile.decode(CrawledFieldSettings.self, yaml: text)
            _ = try? ConfigFile.decode(InstanceInfo.self, yaml: text)
            _ = try? ConfigFile.decode(ConfigDurationValue.self, yaml: text)
            _ = try? ConfigFile.decode(ByteCount.self, yaml: text)
        case .icmpReply:
            for family in [ICMPMessage.Family.v4, .v6] {
                _ = ICMPMessage.parse(bytes, family: family, includesIPHeader: family == .v4)
                _ = ICMPMessage.parse(bytes, family: family, includesIPHeader: false)
            }
        case .seriesCodec:
            SeriesCodecFuzz.run(bytes)
        case .ingestLogRow:
            IngestLogRowFuzz.run(bytes)
        case .influxQL:
            InfluxFuzz.query(bytes)
        case .lineProtocol:
            InfluxFuzz.lines(bytes)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzTarget.current.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

// SwiftPM names an executable's entry point `<target>_main`.
@_cdecl("collector_fuzz_main")
public func collectorFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    return runLibFuzzer(argc, argv) { data, size in fuzzOne(data, size) }
}
