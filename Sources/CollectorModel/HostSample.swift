#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One sample of a host's vital signs, as read from `/proc` and `statvfs`.
public struct HostSample: Sendable, Equatable, Codable {
    public var time: Date
    public var cpuUserPercent: Double
    public var cpuSystemPercent: Double
    public var cpuIdlePercent: Double
    public var cpuIowaitPercent: Double
    public var memoryTotalBytes: UInt64
    public var memoryAvailableBytes: UInt64
    public var swapTotalBytes: UInt64
    public var swapFreeBytes: UInt64
    public var disks: [DiskUsage]
    public var load1: Double
    public var load5: Double
    public var load15: Double
    public var uptimeSeconds: Double
    public var network: [NetworkCounters]

    public init(
        time: Date,
        cpuUserPercent: Double = 0, cpuSystemPercent: Double = 0,
        cpuIdlePercent: Double = 0, cpuIowaitPercent: Double = 0,
        memoryTotalBytes: UInt64 = 0, memoryAvailableBytes: UInt64 = 0,
        swapTotalBytes: UInt64 = 0, swapFreeBytes: UInt64 = 0,
        disks: [DiskUsage] = [],
        load1: Double = 0, load5: Double = 0, load15: Double = 0,
        uptimeSeconds: Double = 0,
        network: [NetworkCounters] = []
    ) {
        self.time = time
        self.cpuUserPercent = cpuUserPercent
        self.cpuSystemPercent = cpuSystemPercent
        self.cpuIdlePercent = cpuIdlePercent
        self.cpuIowaitPercent = cpuIowaitPercent
        self.memoryTotalBytes = memoryTotalBytes
        self.memoryAvailableBytes = memoryAvailableBytes
        self.swapTotalBytes = swapTotalBytes
        self.swapFreeBytes = swapFreeBytes
        self.disks = disks
        self.load1 = load1
        self.load5 = load5
        self.load15 = load15
        self.uptimeSeconds = uptimeSeconds
        self.network = network
    }
}

/// One mounted filesystem, as `statvfs` and the mount table give it and as
/// node_exporter and `df` report it.
public struct DiskUsage: Sendable, Equatable, Codable {
    public var mount: String
    /// Blocks in use (`f_blocks - f_bfree`).
    public var usedBytes: UInt64
    /// The filesystem's size (`f_blocks`).
    public var totalBytes: UInt64
    /// What an unprivileged user can still write (`f_bavail`): the free
    /// blocks less those reserved for root, so used + available is often
    /// well under the total. Nil from agents that did not read it.
    public var availableBytes: UInt64?
    /// `ext4`, `xfs`, ...; empty when not known (a sample from an older agent).
    public var filesystemType: String
    /// `/dev/vda`; empty when not known.
    public var device: String

    public init(mount: String, usedBytes: UInt64, totalBytes: UInt64, availableBytes: UInt64? = nil,
                filesystemType: String = "", device: String = "") {
        self.mount = mount
        self.usedBytes = usedBytes
        self.totalBytes = totalBytes
        self.availableBytes = availableBytes
        self.filesystemType = filesystemType
        self.device = device
    }

    /// Use as `df` computes it: used / (used + available), since what is
    /// reserved for root is not the user's to fill; nil without available
    /// bytes, 0 for an empty filesystem.
    public var usedPercent: Double? {
        guard let availableBytes else { return nil }
        let usable = Double(usedBytes) + Double(availableBytes)
        return usable > 0 ? Double(usedBytes) * 100 / usable : 0
    }

    enum CodingKeys: String, CodingKey {
        case mount, usedBytes, totalBytes, availableBytes, filesystemType, device
    }

    /// Samples stored before available bytes and the type were read decode
    /// without them.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mount = try c.decode(String.self, forKey: .mount)
        usedBytes = try c.decode(UInt64.self, forKey: .usedBytes)
        totalBytes = try c.decode(UInt64.self, forKey: .totalBytes)
        availableBytes = try c.decodeIfPresent(UInt64.self, forKey: .availableBytes)
        filesystemType = try c.decodeIfPresent(String.self, forKey: .filesystemType) ?? ""
        device = try c.decodeIfPresent(String.self, forKey: .device) ?? ""
    }
}

public struct NetworkCounters: Sendable, Equatable, Codable {
    public var interface: String
    public var rxBytes: UInt64
    public var txBytes: UInt64

    public init(interface: String, rxBytes: UInt64, txBytes: UInt64) {
        self.interface = interface
        self.rxBytes = rxBytes
        self.txBytes = txBytes
    }
}

extension HostSample {
    /// The sample as series points in the `host` namespace, so host stats are
    /// aggregated by the same engine as every other series.
    public func seriesPoints(host: String) -> [SeriesPoint] {
        var points: [SeriesPoint] = []
        func add(_ name: String, _ value: Double) {
            points.append(SeriesPoint(namespace: "host", name: "\(host).\(name)", time: time, value: value))
        }
        add("cpu.user_percent", cpuUserPercent)
        add("cpu.system_percent", cpuSystemPercent)
        add("cpu.idle_percent", cpuIdlePercent)
        add("cpu.iowait_percent", cpuIowaitPercent)
        add("memory.total_bytes", Double(memoryTotalBytes))
        add("memory.available_bytes", Double(memoryAvailableBytes))
        add("swap.total_bytes", Double(swapTotalBytes))
        add("swap.free_bytes", Double(swapFreeBytes))
        add("load1", load1)
        add("load5", load5)
        add("load15", load15)
        add("uptime_seconds", uptimeSeconds)
        for disk in disks {
            add("disk[\(disk.mount)].used_bytes", Double(disk.usedBytes))
            add("disk[\(disk.mount)].total_bytes", Double(disk.totalBytes))
            if let available = disk.availableBytes, let percent = disk.usedPercent {
                add("disk[\(disk.mount)].available_bytes", Double(available))
                add("disk[\(disk.mount)].used_percent", percent)
            }
        }
        for counters in network {
            add("net[\(counters.interface)].rx_bytes", Double(counters.rxBytes))
            add("net[\(counters.interface)].tx_bytes", Double(counters.txBytes))
        }
        return points
    }
}
