import CollectorModel

/// `inputs.host_stats`: CPU, memory, swap, disks, load, uptime and network
/// counters from `/proc` and `statvfs`.
public struct HostStatsConfig: InputConfig {
    public var enabled = true
    public var interval = ConfigDurationValue(.seconds(10))
    /// Mount points; `auto` is every mounted filesystem but pseudo ones.
    public var mounts = [HostStatsReader.automaticMounts]
    public var excludeInterfaces = ["lo"]

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, interval, mounts, excludeInterfaces = "exclude_interfaces"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
        interval = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .interval) ?? interval
        mounts = try c.decodeIfPresent([String].self, forKey: .mounts) ?? mounts
        excludeInterfaces = try c.decodeIfPresent([String].self, forKey: .excludeInterfaces) ?? excludeInterfaces
        guard interval.duration >= .milliseconds(100) else { throw ConfigError("inputs.host_stats.interval must be at least 100ms") }
    }
}
