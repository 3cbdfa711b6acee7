import CollectorModel

/// `inputs.events`: the local intake where applications beside the agent
/// send events, in the bodies of the old event service and tracking API.
public struct EventsConfig: InputConfig {
    public var enabled = true
    /// Loopback by default: the intake takes no token, so it must not face
    /// the network.
    public var listen = "127.0.0.1:7480"
    /// No longer used: the intake checks times by the collector's
    /// `limits.max_future_skew`, learned when the agent registers. Still
    /// read, so configurations that set it keep loading.
    public var maxFutureSkew = ConfigDurationValue(.seconds(300))
    public var maxBodyBytes = ByteCount(1 << 20)

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, listen, maxFutureSkew = "max_future_skew", maxBodyBytes = "max_body_bytes"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
        listen = try c.decodeIfPresent(String.self, forKey: .listen) ?? listen
        _ = try HostPort(parsing: listen, field: "inputs.events.listen")
        maxFutureSkew = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .maxFutureSkew) ?? maxFutureSkew
        maxBodyBytes = try c.decodeIfPresent(ByteCount.self, forKey: .maxBodyBytes) ?? maxBodyBytes
    }
}
