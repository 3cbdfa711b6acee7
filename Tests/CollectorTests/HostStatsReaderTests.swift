@testable import AgentKit
import CollectorModel
import Foundation
import Testing

/// The host-stats input's procfs parsers, fed fixture text, and one reading of
/// this machine's real /proc.
@Suite("HostStats")
struct HostStatsReaderTests {
    // MARK: - Fixtures, trimmed from a real 2-CPU Linux 6.x host

    static let stat = """
        cpu  1000 0 500 8000 300 100 100 0 40 0
        cpu0 500 0 250 4000 150 50 50 0 20 0
        cpu1 500 0 250 4000 150 50 50 0 20 0
        intr 1906123 0 9 0 0 0 0 0 0 0 0 0 0 0 0
        ctxt 3215468
        btime 1718000000
        processes 14366
        procs_running 1
        procs_blocked 0
        softirq 584312 0 90213 12 15601 0 0 311 274098 0 204077

        """

    /// 200 jiffies after `stat`: user 30 + nice 10, system 14 + irq 4 +
    /// softirq 2, idle 120, iowait 10, steal 10; guest moved too but is
    /// already inside user.
    static let statLater = """
        cpu  1030 10 514 8120 310 104 102 10 60 0
        cpu0 515 5 257 4060 155 52 51 5 30 0
        cpu1 515 5 257 4060 155 52 51 5 30 0
        intr 1907000 0 9 0 0 0 0 0 0 0 0 0 0 0 0
        ctxt 3216000

        """

    static let meminfo = """
        MemTotal:       16318412 kB
        MemFree:         8123456 kB
        MemAvailable:   12000000 kB
        Buffers:          204800 kB
        Cached:          3145728 kB
        SwapCached:            0 kB
        SwapTotal:       2097148 kB
        SwapFree:        2000000 kB
        Dirty:               172 kB
        HugePages_Total:       0
        Hugepagesize:       2048 kB

        """

    static let kB: UInt64 = 1024

    static let loadavg = "0.52 0.41 0.30 2/612 14366\n"
    static let uptime = "4878.51 8987.24\n"

    static let netDev = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:    3245      30    0    0    0     0          0         0     3245      30    0    0    0     0       0          0
          eth0: 12834937     351    0    0    0     0          0         0    19598     240    0    0    0     0       0          0
        wlan0:987654321 1000 0 0 0 0 0 0 123456789 900 0 0 0 0 0 0

        """

    /// A proc root in a temporary directory holding the fixtures.
    static func procRoot(stat: String = stat) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("hoststats-proc")
        try FileManager.default.createDirectory(atPath: directory.file("net"), withIntermediateDirectories: true)
        for (name, text) in [("stat", stat), ("meminfo", meminfo), ("loadavg", loadavg), ("uptime", uptime), ("net/dev", netDev)] {
            try text.write(toFile: directory.file(name), atomically: true, encoding: .utf8)
        }
        return directory
    }

    // MARK: - Parsers

    @Test func parsesTheAggregateCPULine() throws {
        let times = try HostStatsReader.parseStat(Self.stat)
        #expect(times == .init(user: 1000, nice: 0, system: 500, idle: 8000, iowait: 300, irq: 100, softirq: 100, steal: 0))
    }

    @Test func parsesMeminfoIntoBytes() throws {
        let memory = try HostStatsReader.parseMeminfo(Self.meminfo)
        let expected = HostStatsReader.Meminfo(
            totalBytes: 16_318_412 * Self.kB, availableBytes: 12_000_000 * Self.kB,
            swapTotalBytes: 2_097_148 * Self.kB, swapFreeBytes: 2_000_000 * Self.kB
        )
        #expect(memory == expected)
    }

    @Test func parsesLoadAndUptime() throws {
        #expect(try HostStatsReader.parseLoadavg(Self.loadavg) == .init(one: 0.52, five: 0.41, fifteen: 0.30))
        #expect(try HostStatsReader.parseUptime(Self.uptime) == 4878.51)
    }

    @Test func parsesEveryInterfaceInNetDev() throws {
        let counters = try HostStatsReader.parseNetDev(Self.netDev)
        #expect(counters == [
            NetworkCounters(interface: "lo", rxBytes: 3245, txBytes: 3245),
            NetworkCounters(interface: "eth0", rxBytes: 12_834_937, txBytes: 19598),
            NetworkCounters(interface: "wlan0", rxBytes: 987_654_321, txBytes: 123_456_789),
        ])
    }

    // MARK: - CPU percentages

    @Test func firstSampleUsesCountersSinceBootAndTheNextUsesTheDelta() throws {
        let root = try Self.procRoot()
        var reader = HostStatsReader(procRoot: root.path, mounts: [], excludeInterfaces: [])

        let first = try reader.sample()
        #expect(first.cpuUserPercent == 10)
        #expect(first.cpuSystemPercent == 7)
        #expect(first.cpuIdlePercent == 80)
        #expect(first.cpuIowaitPercent == 3)

        try Self.statLater.write(toFile: root.file("stat"), atomically: true, encoding: .utf8)
        let second = try reader.sample()
        #expect(second.cpuUserPercent == 20)
        #expect(second.cpuSystemPercent == 10)
        #expect(second.cpuIdlePercent == 60)
        #expect(second.cpuIowaitPercent == 5)  // the remaining 5% is steal
    }

    @Test func noTicksBetweenSamplesFallsBackToSinceBoot() throws {
        let root = try Self.procRoot()
        var reader = HostStatsReader(procRoot: root.path, mounts: [])
        _ = try reader.sample()
        let again = try reader.sample()
        #expect([again.cpuUserPercent, again.cpuSystemPercent, again.cpuIdlePercent, again.cpuIowaitPercent] == [10, 7, 80, 3])
    }

    @Test func countersThatStepBackDoNotGoNegative() {
        let before = HostStatsReader.CPUTimes(user: 100, nice: 0, system: 100, idle: 1000, iowait: 50, irq: 0, softirq: 0, steal: 0)
        let after = HostStatsReader.CPUTimes(user: 150, nice: 0, system: 150, idle: 900, iowait: 50, irq: 0, softirq: 0, steal: 0)
        let shares = HostStatsReader.cpuPercentages(current: after, previous: before)
        #expect(shares == .init(user: 50, system: 50, idle: 0, iowait: 0))
    }

    // MARK: - Whole sample

    @Test func sampleCombinesEveryFileAndAppliesExclusions() throws {
        let root = try Self.procRoot()
        var reader = HostStatsReader(procRoot: root.path + "/", mounts: ["/", "/no/such/mount/here"], excludeInterfaces: ["lo", "wlan0"])
        let time = Date(timeIntervalSince1970: 1_718_000_000)
        let sample = try reader.sample(at: time)

        #expect(sample.time == time)
        #expect(sample.memoryTotalBytes == 16_318_412 * Self.kB)
        #expect(sample.memoryAvailableBytes == 12_000_000 * Self.kB)
        #expect(sample.swapTotalBytes == 2_097_148 * Self.kB)
        #expect(sample.swapFreeBytes == 2_000_000 * Self.kB)
        #expect([sample.load1, sample.load5, sample.load15] == [0.52, 0.41, 0.30])
        #expect(sample.uptimeSeconds == 4878.51)
        #expect(sample.network == [NetworkCounters(interface: "eth0", rxBytes: 12_834_937, txBytes: 19598)])
        // The missing mount is skipped, not fatal.
        #expect(sample.disks.map(\.mount) == ["/"])
        let disk = try #require(sample.disks.first)
        #expect(disk.totalBytes > 0 && disk.usedBytes <= disk.totalBytes)
    }

    // MARK: - Malformed input

    @Test(arguments: [
        "",
        "cpu0 1 2 3 4 5 6 7 8 9 10\n",
        "cpu  1 2 3 4\n",
        "cpu  1 2 3 4 5 6 x 8 9 10\n",
        "cpu  1 2 3 4 5 6 -7 8 9 10\n",
    ])
    func malformedStatThrows(_ text: String) {
        #expect(throws: HostStatsError.self) { try HostStatsReader.parseStat(text) }
    }

    @Test(arguments: [
        "",
        "MemTotal: 100 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",  // no MemAvailable (pre-3.14 kernel)
        "MemTotal: lots kB\nMemAvailable: 1 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",
        "MemTotal: 100 MB\nMemAvailable: 1 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",
        "MemTotal: 18446744073709551615 kB\nMemAvailable: 1 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",
    ])
    func malformedMeminfoThrows(_ text: String) {
        #expect(throws: HostStatsError.self) { try HostStatsReader.parseMeminfo(text) }
    }

    @Test func malformedLoadUptimeAndNetDevThrow() {
        #expect(throws: HostStatsError.self) { try HostStatsReader.parseLoadavg("0.1 0.2\n") }
        #expect(throws: HostStatsError.self) { try HostStatsReader.parseLoadavg("nan 0.2 0.3 1/2 3\n") }
        #expect(throws: HostStatsError.self) { try HostStatsReader.parseUptime("") }
        #expect(throws: HostStatsError.self) { try HostStatsReader.parseUptime("-3 1\n") }
        #expect(throws: HostStatsError.self) { try HostStatsReader.parseNetDev("eth0 1 2 3\n") }
        #expect(throws: HostStatsError.self) { try HostStatsReader.parseNetDev("eth0: 1 2 3\n") }
        #expect(throws: HostStatsError.self) { try HostStatsReader.parseNetDev(": 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n") }
    }

    @Test func errorsNameTheFullPath() throws {
        let root = try Self.procRoot(stat: "garbage\n")
        var reader = HostStatsReader(procRoot: root.path, mounts: [])
        let error = try #require(throws: HostStatsError.self) { try reader.sample() }
        #expect(error.file == root.file("stat"))
        #expect(error.description.hasPrefix(root.file("stat") + ": "))

        try FileManager.default.removeItem(atPath: root.file("stat"))
        let missing = try #require(throws: HostStatsError.self) { try reader.sample() }
        #expect(missing.file == root.file("stat"))
        #expect(missing.problem.contains("could not be read"))
    }

    // MARK: - Disks

    static let mountinfo = #"""
        22 27 0:21 / /proc rw,relatime - proc proc rw
        23 27 0:22 / /sys rw,relatime - sysfs sysfs rw
        24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334192k
        25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683584k
        27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        50 27 8:17 / /srv/my\040data rw,relatime shared:1 master:2 - xfs /dev/sdb1 rw
        51 27 0:50 / /var/lib/docker/overlay2/abc/merged rw - overlay overlay rw
        52 27 0:51 / /run/credentials/systemd-sysctl.service ro - ramfs ramfs ro
        53 27 0:52 / /snap/core/1 ro - squashfs /dev/loop0 ro
        54 27 0:53 / /run/user/1000 rw - tmpfs tmpfs rw
        not a mount line
        """#

    /// node_exporter's default exclusions: pseudo types and system mount points.
    @Test func theMountTablePicksRealFilesystemsAsNodeExporterDoes() {
        let table = MountTable.parse(mountinfo: Self.mountinfo)
        #expect(table.mounts.count == 12)
        #expect(table.real.map(\.point) == ["/", "/srv/my data", "/run/user/1000"])
        #expect(table.mount(at: "/srv/my data") == .init(point: "/srv/my data", filesystemType: "xfs", device: "/dev/sdb1"))
        #expect(MountTable.isPseudoMountPoint("/dev") && MountTable.isPseudoMountPoint("/sys/fs/cgroup"))
        #expect(!MountTable.isPseudoMountPoint("/device") && !MountTable.isPseudoMountPoint("/run/credentials"))
    }

    /// The issue's host, as statvfs gave it: 22.9 GB used of 270.6 GB with
    /// 78.6 GB available to users (the rest reserved). df says 23 %.
    @Test func usedAvailableAndUseAreDfs() throws {
        let block: UInt64 = 4096
        let disk = try #require(HostStatsReader.diskUsage(
            mount: "/", blockSize: block, blocks: 270_600_000_000 / block, free: (270_600_000_000 - 22_900_000_000) / block,
            available: 78_600_000_000 / block, filesystemType: "ext4", device: "/dev/vda"))
        #expect(disk.totalBytes == 270_600_000_000 / block * block)
        #expect(disk.usedBytes == disk.totalBytes - (270_600_000_000 - 22_900_000_000) / block * block)
        #expect(disk.availableBytes == 78_600_000_000 / block * block)
        let percent = try #require(disk.usedPercent)
        #expect(percent.rounded(.up) == 23)
        #expect(Double(disk.usedBytes) * 100 / Double(disk.totalBytes) < 9, "the old reading: used of total")

        // Series: available and use beside used and total.
        let names = HostSample(time: Date(), disks: [disk]).seriesPoints(host: "lab").map(\.name)
        #expect(names.contains("lab.disk[/].available_bytes") && names.contains("lab.disk[/].used_percent"))
        #expect(names.contains("lab.disk[/].used_bytes") && names.contains("lab.disk[/].total_bytes"))
        // An older agent's disk (no available bytes) gets no made-up use.
        let old = HostSample(time: Date(), disks: [DiskUsage(mount: "/", usedBytes: 1, totalBytes: 2)]).seriesPoints(host: "lab").map(\.name)
        #expect(!old.contains("lab.disk[/].used_percent"))
    }

    @Test func theReaderSamplesAutoMountsWithTheirTypes() throws {
        let root = try Self.procRoot()
        try FileManager.default.createDirectory(atPath: root.file("self"), withIntermediateDirectories: true)
        try "27 1 254:0 / / rw - ext4 /dev/vda rw\n24 27 0:6 / /dev rw - devtmpfs devtmpfs rw\n"
            .write(toFile: root.file("self/mountinfo"), atomically: true, encoding: .utf8)
        var reader = HostStatsReader(procRoot: root.path, excludeInterfaces: [])
        let disks = try reader.sample().disks
        #expect(disks.map(\.mount) == ["/"])
        #expect(disks.first?.filesystemType == "ext4")
        #expect(disks.first?.device == "/dev/vda")
        #expect(disks.first?.availableBytes != nil)
    }

    /// Samples stored before this change decode; new ones keep every field.
    @Test func storedSamplesOldAndNewDecode() throws {
        let old = #"{"mount": "/", "usedBytes": 5, "totalBytes": 10}"#
        let decoded = try JSONDecoder().decode(DiskUsage.self, from: Data(old.utf8))
        #expect(decoded == DiskUsage(mount: "/", usedBytes: 5, totalBytes: 10))
        #expect(decoded.usedPercent == nil)
        let new = DiskUsage(mount: "/", usedBytes: 5, totalBytes: 10, availableBytes: 3, filesystemType: "xfs", device: "/dev/sdb1")
        #expect(try JSONDecoder().decode(DiskUsage.self, from: try JSONEncoder().encode(new)) == new)
    }

    // MARK: - This machine

    /// Against `df` on the same mount at nearly the same moment: the same
    /// size, used and available bytes (within what changed meanwhile) and
    /// the same Use%.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/df")))
    func disksAgreeWithDf() throws {
        let disk = try #require(HostStatsReader.diskUsage(mount: "/"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/df")
        process.arguments = ["-B1", "--output=size,used,avail,pcent", "/"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let fields = try #require(text.split(separator: "\n").last).split(separator: " ")
        let (size, used, available) = (UInt64(fields[0]) ?? 0, UInt64(fields[1]) ?? 0, UInt64(fields[2]) ?? 0)
        let percent = Int(fields[3].dropLast()) ?? -1
        #expect(disk.totalBytes == size)
        let slack: UInt64 = 64 << 20
        #expect(disk.usedBytes >= used &- slack && disk.usedBytes <= used + slack, "used \(disk.usedBytes) vs df \(used)")
        let mine = try #require(disk.availableBytes)
        #expect(mine >= available &- slack && mine <= available + slack, "available \(mine) vs df \(available)")
        #expect(abs(Int(try #require(disk.usedPercent).rounded(.up)) - percent) <= 1)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/stat")))
    func samplesThisMachinesProc() throws {
        var reader = HostStatsReader()
        let sample = try reader.sample()
        // Steal is part of the total but not of the sample; allow for it on VMs.
        let boot = try HostStatsReader.parseStat(try HostStatsReader.readWholeFile("/proc/stat"))
        let stealPercent = Double(boot.steal) * 100 / Double(boot.total)
        let sum = sample.cpuUserPercent + sample.cpuSystemPercent + sample.cpuIdlePercent + sample.cpuIowaitPercent

        #expect(sample.memoryTotalBytes > 0)
        #expect(sample.memoryAvailableBytes <= sample.memoryTotalBytes)
        #expect(abs(sum + stealPercent - 100) < 0.5)
        #expect(sample.uptimeSeconds > 0)
        #expect(sample.disks.contains { $0.mount == "/" && $0.totalBytes > 0 })
        #expect(!sample.network.contains { $0.interface == "lo" })

        let next = try reader.sample()
        let nextSum = next.cpuUserPercent + next.cpuSystemPercent + next.cpuIdlePercent + next.cpuIowaitPercent
        #expect(nextSum > 0 && nextSum <= 100.5)
    }
}
