import CollectorModel
import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Domain → wire: what agents send and what the collector answers.

extension Collector_V1_HostSample {
    public init(_ sample: HostSample) {
        self.init()
        timeUnixNano = WireTime.nanos(sample.time)
        cpuUserPercent = sample.cpuUserPercent
        cpuSystemPercent = sample.cpuSystemPercent
        cpuIdlePercent = sample.cpuIdlePercent
        cpuIowaitPercent = sample.cpuIowaitPercent
        memoryTotalBytes = sample.memoryTotalBytes
        memoryAvailableBytes = sample.memoryAvailableBytes
        swapTotalBytes = sample.swapTotalBytes
        swapFreeBytes = sample.swapFreeBytes
        disks = sample.disks.map { disk in
            var wire = Collector_V1_DiskUsage()
            wire.mount = disk.mount
            wire.usedBytes = disk.usedBytes
            wire.totalBytes = disk.totalBytes
            if let available = disk.availableBytes { wire.availableBytes = available }
            wire.filesystemType = disk.filesystemType
            wire.device = disk.device
            return wire
        }
        load1 = sample.load1
        load5 = sample.load5
        load15 = sample.load15
        uptimeSeconds = sample.uptimeSeconds
        network = sample.network.map { counters in
            var wire = Collector_V1_NetworkCounters()
            wire.interface = counters.interface
            wire.rxBytes = counters.rxBytes
            wire.txBytes = counters.txBytes
            return wire
        }
    }
}

extension Collector_V1_Point {
    public init(_ point: SeriesPoint) {
        self.init()
        namespace = point.namespace
        name = point.name
        timeUnixNano = UInt64(clamping: point.nanos)
        value = point.value
    }
}

extension Collector_V1_Event {
    public init(_ event: Event) {
        self.init()
        id = event.id
        namespace = event.namespace
        name = event.name
        timeUnixNano = WireTime.nanos(event.time)
        value = event.value
        uid = event.uid
        fieldsJson = event.fieldsJSON
    }
}

extension Collector_V1_InstanceInfo {
    public init(_ info: InstanceInfo) {
        self.init()
        url = info.url
        contact = info.contact
        email = info.email
        organization = info.organization
    }
}

extension Collector_V1_Instance {
    public init(_ instance: Instance) {
        self.init()
        uuid = instance.uuid.uuidString.lowercased()
        info = Collector_V1_InstanceInfo(instance.info)
        enabled = instance.enabled
        country = instance.country
        createdUnixNano = WireTime.nanos(instance.created)
        updatedUnixNano = WireTime.nanos(instance.updated)
        if let crawl = instance.lastCrawl {
            lastCrawl = Collector_V1_CrawlOutcome(crawl)
        }
        crawledJson = instance.crawledJSON ?? ""
        agentID = instance.agentID ?? ""
        site = instance.site ?? ""
    }
}

extension Collector_V1_CrawlOutcome {
    public init(_ outcome: CrawlOutcome) {
        self.init()
        timeUnixNano = WireTime.nanos(outcome.time)
        result = outcome.result
        httpStatus = Int32(clamping: outcome.httpStatus)
        detail = outcome.detail
    }
}

extension Collector_V1_CrawlSample {
    public init(_ sample: CrawlSample) {
        self.init()
        instanceUuid = sample.instanceUUID.uuidString.lowercased()
        outcome = Collector_V1_CrawlOutcome(sample.outcome)
        documentJson = sample.document.map(JSONValue.text) ?? ""
    }
}

extension Collector_V1_TokenInfo {
    public init(_ record: TokenRecord) {
        self.init()
        id = record.id
        name = record.name
        scopes = record.scopes.sorted().map(\.rawValue)
        site = record.site ?? ""
        createdUnixNano = WireTime.nanos(record.created)
        revokedUnixNano = record.revoked.map(WireTime.nanos) ?? 0
        lastUsedUnixNano = record.lastUsed.map(WireTime.nanos) ?? 0
    }
}

extension Collector_V1_Agent {
    public init(_ record: AgentRecord, connected: Bool, spool: SpoolReport? = nil) {
        self.init()
        id = record.id
        site = record.site
        hostname = record.hostname
        instanceUuid = record.instanceUUID?.uuidString.lowercased() ?? ""
        agentVersion = record.agentVersion
        firstSeenUnixNano = WireTime.nanos(record.firstSeen)
        lastSeenUnixNano = WireTime.nanos(record.lastSeen)
        self.connected = connected
        highWaterMark = record.highWaterMark
        droppedBatches = record.droppedBatches
        if let sample = record.latestHostSample {
            latestHostSample = Collector_V1_HostSample(sample)
        }
        if let spool {
            self.spool = .with {
                $0.batches = spool.batches
                $0.bytes = spool.bytes
            }
            spoolReportedUnixNano = WireTime.nanos(spool.reported)
        }
    }
}

extension Collector_V1_Pool {
    public init(_ pool: Pool) {
        self.init()
        id = pool.id
        name = pool.name
        room = pool.room
        metadata = pool.metadata
        watts = pool.watts
        standbyWatts = pool.standbyWatts ?? 0
        agentID = pool.agentID
        intervalMs = UInt64(max(0, pool.interval.seconds * 1000))
        computers = pool.computers
    }
}

extension Pool {
    public init(wire: Collector_V1_Pool) {
        self.init(id: wire.id, name: wire.name, room: wire.room, metadata: wire.metadata, watts: wire.watts,
                  standbyWatts: wire.standbyWatts > 0 ? wire.standbyWatts : nil, agentID: wire.agentID,
                  interval: .milliseconds(Int64(clamping: wire.intervalMs)), computers: wire.computers)
    }
}

extension Collector_V1_Reachability {
    public init(_ result: Reachability) {
        self.init()
        poolID = result.poolID
        address = result.address
        timeUnixNano = WireTime.nanos(result.time)
        up = result.up
        rttMs = result.rttMilliseconds
        reason = result.reason?.rawValue ?? ""
    }
}

extension Collector_V1_RefusedRecord {
    public init(_ error: ValidationError) {
        self.init()
        field = error.field
        reason = error.message
    }
}

extension Collector_V1_IngestRules {
    public init(_ limits: WireLimits) {
        self.init()
        maxNameBytes = UInt32(clamping: limits.rules.maxNameBytes)
        maxFieldsBytes = UInt32(clamping: limits.rules.maxFieldsBytes)
        maxFutureSkewSeconds = UInt64(max(0, limits.rules.maxFutureSkew))
        maxAgeSeconds = limits.rules.maxAge.map { UInt64(max(1, $0)) } ?? 0
        maxBatchItems = UInt32(clamping: limits.maxBatchItems)
    }
}
