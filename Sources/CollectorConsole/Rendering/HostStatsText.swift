import CollectorModel
import Foundation

/// A host sample as label and value rows, with disks as `df` shows them.
enum HostStatsText {
    static func rows(_ sample: HostSample?) -> [[String: String]] {
        guard let sample else { return [["label": "Host stats", "value": "none yet"]] }
        var rows: [(String, String)] = [
            ("Sampled", TimeText.show(sample.time)),
            ("CPU", String(format: "%.1f%% user, %.1f%% system, %.1f%% iowait", sample.cpuUserPercent, sample.cpuSystemPercent, sample.cpuIowaitPercent)),
            ("Memory", "\(ByteCount.text(sample.memoryTotalBytes - min(sample.memoryTotalBytes, sample.memoryAvailableBytes))) used of \(ByteCount.text(sample.memoryTotalBytes))"),
            ("Swap", "\(ByteCount.text(sample.swapTotalBytes - min(sample.swapTotalBytes, sample.swapFreeBytes))) used of \(ByteCount.text(sample.swapTotalBytes))"),
            ("Load", String(format: "%.2f %.2f %.2f", sample.load1, sample.load5, sample.load15)),
            ("Uptime", String(format: "%.1f days", sample.uptimeSeconds / 86400)),
        ]
        for disk in sample.disks {
            rows.append(("Disk \(disk.mount)", "\(disk.usedPercent.map { String(format: "%.0f%%", $0) } ?? "-") used, "
                + "\(disk.availableBytes.map(ByteCount.text) ?? "-") available (\(disk.filesystemType))"))
        }
        return rows.map { ["label": $0.0, "value": $0.1] }
    }
}
