import CollectorModel
import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Wire → domain, with the validation that makes bad input a clear error
// before anything is stored.

public struct WireLimits: Sendable {
    public var maxBatchItems: Int
    /// The rules every record is checked by, at every door.
    public var rules: IngestRules

    public init(maxBatchItems: Int, rules: IngestRules = IngestRules()) {
        self.maxBatchItems = maxBatchItems
        self.rules = rules
    }

    func checkTime(_ nanos: UInt64, field: @autoclosure () -> String) throws(ValidationError) -> Date {
        try rules.checkTime(WireTime.date(nanos), field: field())
    }

    func checkName(_ text: String, field: @autoclosure () -> String) throws(ValidationError) {
        try rules.checkName(text, field: field())
    }

    func checkFinite(_ value: Double, field: @autoclosure () -> String) throws(ValidationError) {
        try rules.checkFinite(value, field: field())
    }
}

extension IngestBatch {
    /// Validates a wire batch. What makes the batch itself unusable (its
    /// size, sequence or agent) refuses it whole; a bad record is refused
    /// alone and named in `refused`, so it never takes the good records
    /// beside it down with it.
    public init(_ batch: Collector_V1_Batch, limits: WireLimits) throws(ValidationError) {
        let items = batch.hostSamples.count + batch.points.count + batch.events.count
            + batch.crawlSamples.count + batch.reachability.count
        guard items <= limits.maxBatchItems else {
            throw ValidationError(field: "batch", "holds \(items) items; the limit is \(limits.maxBatchItems)")
        }
        guard batch.sequence > 0 else { throw ValidationError(field: "sequence", "must be 1 or more") }
        try AgentRegistration.validate(agentID: batch.agentID)
        var limits = limits
        limits.rules = limits.rules.fixedClock()
        var refused: [ValidationError] = []
        // Field paths (`points[3].time_unix_nano`) are made only for errors:
        // this runs for every record of every batch.
        func each<Wire, Model>(_ wires: [Wire], _ name: String,
                               _ convert: (Wire, () -> String) throws(ValidationError) -> Model) -> [Model] {
            var models: [Model] = []
            models.reserveCapacity(wires.count)
            for (index, wire) in wires.enumerated() {
                do {
                    models.append(try convert(wire) { "\(name)[\(index)]" })
                } catch {
                    refused.append(error)
                }
            }
            return models
        }
        let hostSamples = each(batch.hostSamples, "host_samples") { wire, field throws(ValidationError) in
            try HostSample(wire, limits: limits, field: field())
        }
        let points = each(batch.points, "points") { wire, field throws(ValidationError) in
            try limits.checkName(wire.namespace, field: field() + ".namespace")
            try limits.checkName(wire.name, field: field() + ".name")
            try limits.checkFinite(wire.value, field: field() + ".value")
            _ = try limits.checkTime(wire.timeUnixNano, field: field() + ".time_unix_nano")
            return SeriesPoint(namespace: wire.namespace, name: wire.name, nanos: Int64(clamping: wire.timeUnixNano), value: wire.value)
        }
        let events = each(batch.events, "events") { wire, field throws(ValidationError) in
            try Event(wire, limits: limits, field: field())
        }
        let crawlSamples = each(batch.crawlSamples, "crawl_samples") { wire, field throws(ValidationError) in
            try CrawlSample(wire, limits: limits, field: field())
        }
        let reachability = each(batch.reachability, "reachability") { wire, field throws(ValidationError) in
            try Reachability(wire, limits: limits, field: field())
        }
        self.init(agentID: batch.agentID, sequence: batch.sequence, droppedThrough: batch.droppedThrough,
                  hostSamples: hostSamples, points: points, events: events, crawlSamples: crawlSamples, reachability: reachability,
                  refused: refused)
    }
}

extension Reachability {
    init(_ wire: Collector_V1_Reachability, limits: WireLimits, field: @autoclosure () -> String) throws(ValidationError) {
        guard wire.poolID > 0 else { throw ValidationError(field: field() + ".pool_id", "must be a pool id") }
        guard !wire.address.isEmpty, wire.address.utf8.count <= 253 else {
            throw ValidationError(field: field() + ".address", "must be 1-253 bytes")
        }
        try limits.checkFinite(wire.rttMs, field: field() + ".rtt_ms")
        var reason: Reason?
        if !wire.reason.isEmpty {
            guard let known = Reason(rawValue: wire.reason) else {
                throw ValidationError(field: field() + ".reason", "'\(wire.reason)' is not one of \(Reason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            reason = known
        }
        self.init(poolID: wire.poolID, address: wire.address, time: try limits.checkTime(wire.timeUnixNano, field: field() + ".time_unix_nano"),
                  up: wire.up, rttMilliseconds: max(0, wire.rttMs), reason: wire.up ? nil : reason)
    }
}

extension CrawlSample {
    init(_ wire: Collector_V1_CrawlSample, limits: WireLimits, field: @autoclosure () -> String) throws(ValidationError) {
        guard let uuid = UUID(uuidString: wire.instanceUuid) else {
            throw ValidationError(field: field() + ".instance_uuid", "'\(wire.instanceUuid)' is not a uuid")
        }
        let outcome = try CrawlOutcome(wire.outcome, limits: limits, field: field() + ".outcome")
        var document: [String: JSONValue]?
        if outcome.succeeded {
            do {
                document = try JSONValue.parseObject(Array(wire.documentJson.utf8))
            } catch {
                throw ValidationError(field: field() + ".document_json", error.message)
            }
        }
        self.init(instanceUUID: uuid, outcome: outcome, document: document)
    }
}

extension CrawlOutcome {
    init(_ wire: Collector_V1_CrawlOutcome, limits: WireLimits, field: @autoclosure () -> String) throws(ValidationError) {
        guard CrawlOutcome.Result(rawValue: wire.result) != nil else {
            throw ValidationError(field: field() + ".result", "'\(wire.result)' is not one of \(CrawlOutcome.Result.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard wire.detail.utf8.count <= limits.rules.maxFieldsBytes else { throw ValidationError(field: field() + ".detail", "is too long") }
        self.init(time: try limits.checkTime(wire.timeUnixNano, field: field() + ".time_unix_nano"), result: wire.result,
                  httpStatus: Int(wire.httpStatus), detail: wire.detail)
    }

    public init(wire: Collector_V1_CrawlOutcome) {
        self.init(time: WireTime.date(wire.timeUnixNano), result: wire.result, httpStatus: Int(wire.httpStatus), detail: wire.detail)
    }
}

extension HostSample {
    init(_ wire: Collector_V1_HostSample, limits: WireLimits, field: @autoclosure () -> String) throws(ValidationError) {
        let time = try limits.checkTime(wire.timeUnixNano, field: field() + ".time_unix_nano")
        for (name, value) in [("cpu_user_percent", wire.cpuUserPercent), ("cpu_system_percent", wire.cpuSystemPercent),
                              ("cpu_idle_percent", wire.cpuIdlePercent), ("cpu_iowait_percent", wire.cpuIowaitPercent),
                              ("load1", wire.load1), ("load5", wire.load5), ("load15", wire.load15),
                              ("uptime_seconds", wire.uptimeSeconds)] {
            try limits.checkFinite(value, field: field() + "." + name)
        }
        for disk in wire.disks {
            try limits.checkName(disk.mount, field: field() + ".disks.mount")
            // Empty from agents that do not know them; bounded like names.
            try limits.rules.checkLength(disk.filesystemType, field: field() + ".disks.filesystem_type")
            try limits.rules.checkLength(disk.device, field: field() + ".disks.device")
        }
        for counters in wire.network { try limits.checkName(counters.interface, field: field() + ".network.interface") }
        self.init(wire: wire)
        self.time = time
    }
}

extension Event {
    /// The one event check every door shares (`IngestRules.check`), with
    /// the wire's own field names in the errors.
    init(_ wire: Collector_V1_Event, limits: WireLimits, field: @autoclosure () -> String) throws(ValidationError) {
        self.init(id: wire.id.isEmpty ? RandomID.uuid() : wire.id,
                  namespace: wire.namespace, name: wire.name, time: WireTime.date(wire.timeUnixNano),
                  value: wire.value, uid: wire.uid, fieldsJSON: wire.fieldsJson.isEmpty ? "{}" : wire.fieldsJson)
        try limits.rules.check(self, field: field())
    }
}

extension Event {
    /// Events from a client that is not an agent (`Ingest.LogEvents`).
    public static func validated(_ wires: [Collector_V1_Event], limits: WireLimits) throws(ValidationError) -> [Event] {
        guard wires.count <= limits.maxBatchItems else {
            throw ValidationError(field: "events", "holds \(wires.count) events; the limit is \(limits.maxBatchItems)")
        }
        var events: [Event] = []
        for (index, wire) in wires.enumerated() {
            events.append(try Event(wire, limits: limits, field: "events[\(index)]"))
        }
        return events
    }
}

extension InstanceInfo {
    public init(_ wire: Collector_V1_InstanceInfo) {
        self.init(url: wire.url, contact: wire.contact, email: wire.email, organization: wire.organization)
    }
}

extension HostSample {
    public init(wire: Collector_V1_HostSample) {
        self.init(
            time: WireTime.date(wire.timeUnixNano),
            cpuUserPercent: wire.cpuUserPercent, cpuSystemPercent: wire.cpuSystemPercent,
            cpuIdlePercent: wire.cpuIdlePercent, cpuIowaitPercent: wire.cpuIowaitPercent,
            memoryTotalBytes: wire.memoryTotalBytes, memoryAvailableBytes: wire.memoryAvailableBytes,
            swapTotalBytes: wire.swapTotalBytes, swapFreeBytes: wire.swapFreeBytes,
            disks: wire.disks.map {
                DiskUsage(mount: $0.mount, usedBytes: $0.usedBytes, totalBytes: $0.totalBytes,
                          availableBytes: $0.hasAvailableBytes ? $0.availableBytes : nil, filesystemType: $0.filesystemType, device: $0.device)
            },
            load1: wire.load1, load5: wire.load5, load15: wire.load15,
            uptimeSeconds: wire.uptimeSeconds,
            network: wire.network.map { NetworkCounters(interface: $0.interface, rxBytes: $0.rxBytes, txBytes: $0.txBytes) })
    }
}
