import Foundation

/// What a stretch of load cost a process, and how much of the host's CPU
/// the hypervisor took meanwhile. A latency tail of a few milliseconds on
/// one pinned core moves with both: the first is ours to lower, the second
/// (steal time, /proc/stat's eighth column) is the machine's, so a run's
/// p99 is only comparable with another run's beside its steal.
struct ProcessCost {
    /// The process's user and system time, in clock ticks.
    var cpuTicks: Int
    /// Voluntary and involuntary context switches, summed over its threads.
    var contextSwitches: Int
    /// The host's CPU time by /proc/stat's columns, in clock ticks, and the stolen part.
    var hostTicks: Int
    var stolenTicks: Int

    /// Nil when the process or /proc is not there to read.
    static func read(pid: Int32?) -> ProcessCost? {
        guard let pid,
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let host = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
        // The command name may hold spaces: fields count from after its ')'.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        var switches = 0
        for thread in threads {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/status", encoding: .utf8) else { continue }
            for line in status.split(separator: "\n") where line.contains("ctxt_switches:") {
                switches += line.split(separator: "\t").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
            }
        }
        guard let cpuLine = host.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let columns = cpuLine.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard columns.count > 7 else { return nil }
        return ProcessCost(cpuTicks: user + system, contextSwitches: switches,
                           hostTicks: columns.reduce(0, +), stolenTicks: columns[7])
    }

    /// One line for the run's output: per batch, and the host's stolen share.
    static func report(from before: ProcessCost, to after: ProcessCost, batches: Int) -> String {
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let perBatch = Double(max(batches, 1))
        let cpuMicroseconds = Double(after.cpuTicks - before.cpuTicks) / ticksPerSecond * 1e6 / perBatch
        let switches = Double(after.contextSwitches - before.contextSwitches) / perBatch
        let hostTicks = Double(max(after.hostTicks - before.hostTicks, 1))
        let stolen = Double(after.stolenTicks - before.stolenTicks) / hostTicks * 100
        return String(format: "collector_cost cpu_us_per_batch %.0f context_switches_per_batch %.1f host_steal_percent %.1f",
                      cpuMicroseconds, switches, stolen)
    }
}
