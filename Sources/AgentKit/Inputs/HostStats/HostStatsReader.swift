import CollectorModel
import ServiceSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A procfs file that could not be read or did not look the way the kernel
/// documents it.
public struct HostStatsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file's path, or its name relative to the proc root when the error
    /// came from a parser that only saw the text.
    public var file: String
    public var problem: String

    public init(file: String, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}

/// Reads one `HostSample` at a time from procfs and `statvfs`.
///
/// CPU percentages need two readings, so the reader keeps the previous CPU
/// counters; sample through one reader (it is a value type, so a copy starts
/// its own history). Every error `sample` throws is a `HostStatsError`.
public struct HostStatsReader: Sendable {
    public let procRoot: String
    public let mounts: [String]
    public let excludeInterfaces: [String]
    private var previousCPU: CPUTimes?

    /// In `mounts`, every mounted filesystem but the pseudo ones
    /// (node_exporter's rules, `MountTable`).
    public static let automaticMounts = "auto"

    public init(procRoot: String = "/proc", mounts: [String] = [automaticMounts], excludeInterfaces: [String] = ["lo"]) {
        self.procRoot = procRoot
        self.mounts = mounts
        self.excludeInterfaces = excludeInterfaces
    }

    public mutating func sample(at time: Date = Date()) throws -> HostSample {
        let cpu = try read("stat", Self.parseStat)
        let memory = try read("meminfo", Self.parseMeminfo)
        let load = try read("loadavg", Self.parseLoadavg)
        let uptime = try read("uptime", Self.parseUptime)
        let excluded = Set(excludeInterfaces)
        let network = try read("net/dev", Self.parseNetDev).filter { !excluded.contains($0.interface) }

        let percentages = Self.cpuPercentages(current: cpu, previous: previousCPU)
        previousCPU = cpu

        return HostSample(
            time: time,
            cpuUserPercent: percentages.user, cpuSystemPercent: percentages.system,
            cpuIdlePercent: percentages.idle, cpuIowaitPercent: percentages.iowait,
            memoryTotalBytes: memory.totalBytes, memoryAvailableBytes: memory.availableBytes,
            swapTotalBytes: memory.swapTotalBytes, swapFreeBytes: memory.swapFreeBytes,
            disks: disks(),
            load1: load.one, load5: load.five, load15: load.fifteen,
            uptimeSeconds: uptime,
            network: network
        )
    }

    // MARK: - Reading

    /// Reads a file under the proc root and parses it, so every error names the
    /// full path rather than just the file the parser knew about.
    private func read<T>(_ name: String, _ parse: (String) throws -> T) throws -> T {
        let path = procRoot.hasSuffix("/") ? procRoot + name : procRoot + "/" + name
        do {
            return try parse(try Self.readWholeFile(path))
        } catch var error as HostStatsError {
            error.file = path
            throw error
        }
    }

    static func readWholeFile(_ path: String) throws -> String {
        do {
            return String(decoding: try WholeFile.bytes(at: path), as: UTF8.self)
        } catch {
            throw HostStatsError(file: path, "could not be read: \(error.message)")
        }
    }

    // MARK: - CPU

    /// Jiffies from the aggregate `cpu` line of `/proc/stat`. guest and
    /// guest_nice are left out because the kernel already counts them in user
    /// and nice.
    struct CPUTimes: Sendable, Equatable {
        var user: UInt64, nice: UInt64, system: UInt64, idle: UInt64
        var iowait: UInt64, irq: UInt64, softirq: UInt64, steal: UInt64
    }

    struct CPUPercentages: Sendable, Equatable {
        var user: Double, system: Double, idle: Double, iowait: Double
    }

    static func parseStat(_ text: String) throws -> CPUTimes {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else {
            throw HostStatsError(file: "stat", "no aggregate 'cpu' line")
        }
        let fields = line.split(whereSeparator: \.isWhitespace).dropFirst()
        let values = fields.compactMap { UInt64($0) }
        // Eight fields (up to steal) have been there since Linux 2.6.11.
        guard values.count == fields.count, values.count >= 8 else {
            throw HostStatsError(file: "stat", "'cpu' line should have at least 8 numeric fields: '\(line)'")
        }
        return CPUTimes(
            user: values[0], nice: values[1], system: values[2], idle: values[3],
            iowait: values[4], irq: values[5], softirq: values[6], steal: values[7]
        )
    }

    /// Shares of the time between two readings, or since boot without a
    /// previous reading. When no tick has passed there is nothing to divide,
    /// so the since-boot shares stand in rather than a meaningless 0/0.
    static func cpuPercentages(current: CPUTimes, previous: CPUTimes?) -> CPUPercentages {
        var delta = current
        if let previous {
            // Saturate: counters can step back when a CPU goes offline, and a
            // negative share would be worse than a slightly low one.
            func since(_ now: UInt64, _ then: UInt64) -> UInt64 { now >= then ? now - then : 0 }
            delta = CPUTimes(
                user: since(current.user, previous.user), nice: since(current.nice, previous.nice),
                system: since(current.system, previous.system), idle: since(current.idle, previous.idle),
                iowait: since(current.iowait, previous.iowait), irq: since(current.irq, previous.irq),
                softirq: since(current.softirq, previous.softirq), steal: since(current.steal, previous.steal)
            )
            if delta.total == 0 { delta = current }
        }
        let total = Double(delta.total)
        guard total > 0 else { return CPUPercentages(user: 0, system: 0, idle: 0, iowait: 0) }
        // Multiply before dividing so whole-number shares come out exact.
        func percent(_ part: Double) -> Double { part * 100 / total }
        return CPUPercentages(
            user: percent(Double(delta.user) + Double(delta.nice)),
            system: percent(Double(delta.system) + Double(delta.irq) + Double(delta.softirq)),
            idle: percent(Double(delta.idle)),
            iowait: percent(Double(delta.iowait))
        )
    }

    // MARK: - Memory

    struct Meminfo: Sendable, Equatable {
        var totalBytes: UInt64, availableBytes: UInt64, swapTotalBytes: UInt64, swapFreeBytes: UInt64
    }

    static func parseMeminfo(_ text: String) throws -> Meminfo {
        var kilobytes: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let rest = line[line.index(after: colon)...].split(whereSeparator: \.isWhitespace)
            guard ["MemTotal", "MemAvailable", "SwapTotal", "SwapFree"].contains(key) else { continue }
            guard let first = rest.first, let value = UInt64(first), rest.count == 1 || (rest.count == 2 && rest[1] == "kB") else {
                throw HostStatsError(file: "meminfo", "'\(line)' is not '<key>: <number> kB'")
            }
            kilobytes[key] = value
        }
        func bytes(_ key: String) throws -> UInt64 {
            guard let value = kilobytes[key] else { throw HostStatsError(file: "meminfo", "missing \(key)") }
            let (product, overflow) = value.multipliedReportingOverflow(by: 1024)
            guard !overflow else { throw HostStatsError(file: "meminfo", "\(key) of \(value) kB is too large") }
            return product
        }
        return Meminfo(
            totalBytes: try bytes("MemTotal"), availableBytes: try bytes("MemAvailable"),
            swapTotalBytes: try bytes("SwapTotal"), swapFreeBytes: try bytes("SwapFree")
        )
    }

    // MARK: - Load and uptime

    struct LoadAverage: Sendable, Equatable {
        var one: Double, five: Double, fifteen: Double
    }

    static func parseLoadavg(_ text: String) throws -> LoadAverage {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 3, let one = nonNegative(fields[0]), let five = nonNegative(fields[1]),
              let fifteen = nonNegative(fields[2]) else {
            throw HostStatsError(file: "loadavg", "expected three load averages, got '\(text.prefix(80))'")
        }
        return LoadAverage(one: one, five: five, fifteen: fifteen)
    }

    static func parseUptime(_ text: String) throws -> Double {
        guard let first = text.split(whereSeparator: \.isWhitespace).first, let uptime = nonNegative(first) else {
            throw HostStatsError(file: "uptime", "expected seconds since boot, got '\(text.prefix(80))'")
        }
        return uptime
    }

    /// `Double` also accepts "nan" and "inf", which no procfs file means.
    private static func nonNegative(_ field: Substring) -> Double? {
        guard let value = Double(field), value.isFinite, value >= 0 else { return nil }
        return value
    }

    // MARK: - Network

    /// Every interface in `/proc/net/dev`, in file order; the caller applies
    /// exclusions so the parser stays a plain reading of the file.
    static func parseNetDev(_ text: String) throws -> [NetworkCounters] {
        var counters: [NetworkCounters] = []
        for line in text.split(separator: "\n") {
            // The two header lines are the only ones with column separators.
            if line.contains("|" as Character) || line.allSatisfy(\.isWhitespace) { continue }
            // Split at the colon, not at spaces: old kernels print "eth0:123"
            // with no space, and interface names cannot contain a colon.
            guard let colon = line.firstIndex(of: ":") else {
                throw HostStatsError(file: "net/dev", "no 'interface:' in '\(line)'")
            }
            let interface = line[..<colon].trimmingSpaces()
            let fields = line[line.index(after: colon)...].split(whereSeparator: \.isWhitespace)
            let values = fields.compactMap { UInt64($0) }
            guard !interface.isEmpty, values.count == fields.count, values.count >= 16 else {
                throw HostStatsError(file: "net/dev", "expected an interface and 16 counters in '\(line)'")
            }
            counters.append(NetworkCounters(interface: interface, rxBytes: values[0], txBytes: values[8]))
        }
        return counters
    }

    // MARK: - Disks

    /// The configured mounts, `auto` standing for the real filesystems of
    /// the mount table, each with its type and device. A mount table that
    /// cannot be read costs the types, not the sample.
    func disks() -> [DiskUsage] {
        let table = (try? Self.readWholeFile(procRoot.hasSuffix("/") ? procRoot + "self/mountinfo" : procRoot + "/self/mountinfo"))
            .map(MountTable.parse(mountinfo:)) ?? MountTable(mounts: [])
        var seen: Set<String> = []
        let points = mounts.flatMap { $0 == Self.automaticMounts ? table.real.map(\.point) : [$0] }.filter { seen.insert($0).inserted }
        return points.compactMap { point in
            let mount = table.mount(at: point)
            return Self.diskUsage(mount: point, filesystemType: mount?.filesystemType ?? "", device: mount?.device ?? "")
        }
    }

    /// A mount that cannot be stat'ed (unmounted, no permission) is left out
    /// of the sample rather than failing the whole sample. Used is what
    /// node_exporter calls size - free (`f_blocks - f_bfree`); available is
    /// `f_bavail`, what `df` calls Avail.
    static func diskUsage(mount: String, filesystemType: String = "", device: String = "") -> DiskUsage? {
        var info = statvfs()
        guard statvfs(mount, &info) == 0 else { return nil }
        return diskUsage(mount: mount, blockSize: UInt64(info.f_frsize), blocks: UInt64(info.f_blocks), free: UInt64(info.f_bfree),
                         available: UInt64(info.f_bavail), filesystemType: filesystemType, device: device)
    }

    static func diskUsage(mount: String, blockSize: UInt64, blocks: UInt64, free: UInt64, available: UInt64,
                          filesystemType: String, device: String) -> DiskUsage? {
        let free = min(free, blocks)
        let (total, totalOverflow) = blocks.multipliedReportingOverflow(by: blockSize)
        let (used, usedOverflow) = (blocks - free).multipliedReportingOverflow(by: blockSize)
        let (availableBytes, availableOverflow) = min(available, free).multipliedReportingOverflow(by: blockSize)
        guard !totalOverflow, !usedOverflow, !availableOverflow else { return nil }
        return DiskUsage(mount: mount, usedBytes: used, totalBytes: total, availableBytes: availableBytes,
                         filesystemType: filesystemType, device: device)
    }
}

extension HostStatsReader.CPUTimes {
    /// steal is time the hypervisor gave to someone else: not ours, but part
    /// of the wall clock the shares are taken of.
    var total: UInt64 {
        // Wrapping adds cannot trap; a UInt64 of jiffies will not wrap in practice.
        user &+ nice &+ system &+ idle &+ iowait &+ irq &+ softirq &+ steal
    }
}
