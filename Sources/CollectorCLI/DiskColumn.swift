import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A host's disks in one table cell, as `df -hT` would show them:
/// `/ 21% 75.2 GiB ext4`. Use is used / (used + available) rounded up, as
/// df rounds it, so reserved blocks do not make a disk look emptier than
/// it is for the users who fill it.
enum DiskColumn {
    static let shown = 3

    static func text(_ disks: [Collector_V1_DiskUsage]) -> String {
        guard !disks.isEmpty else { return "-" }
        let cells = disks.prefix(shown).map { disk -> String in
            var parts = [disk.mount]
            if disk.hasAvailableBytes {
                parts.append(percent(used: disk.usedBytes, available: disk.availableBytes))
                parts.append(Output.bytes(disk.availableBytes))
            } else {
                parts.append("\(Output.bytes(disk.usedBytes)) of \(Output.bytes(disk.totalBytes))")
            }
            if !disk.filesystemType.isEmpty { parts.append(disk.filesystemType) }
            return parts.joined(separator: " ")
        }
        let more = disks.count > shown ? "; +\(disks.count - shown) more (--json)" : ""
        return cells.joined(separator: "; ") + more
    }

    /// df's Use%: the ceiling of used × 100 / (used + available).
    static func percent(used: UInt64, available: UInt64) -> String {
        let usable = Double(used) + Double(available)
        guard usable > 0 else { return "-" }
        return "\(Int((Double(used) * 100 / usable).rounded(.up)))%"
    }
}
