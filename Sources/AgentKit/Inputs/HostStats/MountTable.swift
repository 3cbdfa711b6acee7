/// The mounted filesystems, from `/proc/self/mountinfo`, and which of them
/// are worth reporting: node_exporter's default rules, so the agent shows
/// the same filesystems as the Prometheus exporter Debian ships.
struct MountTable: Sendable, Equatable {
    struct Mount: Sendable, Equatable {
        var point: String
        var filesystemType: String
        var device: String
    }

    var mounts: [Mount]

    /// node_exporter's `--collector.filesystem.fs-types-exclude` default:
    /// kernel interfaces and read-only images, not disks anyone fills.
    static let pseudoTypes: Set<String> = [
        "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs", "fusectl",
        "hugetlbfs", "iso9660", "mqueue", "nsfs", "overlay", "proc", "procfs", "pstore", "rpc_pipefs", "securityfs",
        "selinuxfs", "squashfs", "erofs", "sysfs", "tracefs",
    ]

    /// node_exporter's `--collector.filesystem.mount-points-exclude`
    /// default: `^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)`.
    static func isPseudoMountPoint(_ point: String) -> Bool {
        for root in ["/dev", "/proc", "/sys"] where point == root || point.hasPrefix(root + "/") { return true }
        for parent in ["/run/credentials/", "/var/lib/docker/", "/var/lib/containers/storage/"]
        where point.hasPrefix(parent) && point.count > parent.count {
            return true
        }
        return false
    }

    /// Real filesystems, each mount point once (the last mounted wins, as
    /// it hides the ones beneath it).
    var real: [Mount] {
        var seen: Set<String> = []
        return mounts.reversed().filter { mount in
            !Self.pseudoTypes.contains(mount.filesystemType) && !Self.isPseudoMountPoint(mount.point) && seen.insert(mount.point).inserted
        }.reversed()
    }

    func mount(at point: String) -> Mount? { mounts.last { $0.point == point } }

    /// Lines `ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER`;
    /// a line that does not look like one is skipped, not fatal: the table
    /// only adds types and picks mounts.
    static func parse(mountinfo text: String) -> MountTable {
        var mounts: [Mount] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 10, let separator = fields.firstIndex(of: "-"), separator >= 6, separator + 2 < fields.count else { continue }
            mounts.append(Mount(point: unescape(fields[4]), filesystemType: unescape(fields[separator + 1]),
                                device: unescape(fields[separator + 2])))
        }
        return MountTable(mounts: mounts)
    }

    /// The kernel writes space, tab, newline and backslash as `\040`, `\011`, `\012`, `\134`.
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\" as Character) else { return String(field) }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count,
               let value = UInt8(String(decoding: utf8[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
