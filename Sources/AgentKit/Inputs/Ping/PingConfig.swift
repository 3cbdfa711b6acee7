import CollectorModel

/// `inputs.ping`: how the agent sweeps the pools the collector assigns it.
/// Which pools, which computers and how often come from the collector.
public struct PingConfig: InputConfig {
    public var enabled = true
    public var timeout = ConfigDurationValue(.seconds(1))
    public var retries = 1
    public var pace = ConfigDurationValue(.milliseconds(10))
    public var socket = "auto"

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case enabled, timeout, retries, pace, socket }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
        timeout = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .timeout) ?? timeout
        retries = try c.decodeIfPresent(Int.self, forKey: .retries) ?? retries
        pace = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .pace) ?? pace
        socket = try c.decodeIfPresent(String.self, forKey: .socket) ?? socket
        guard ICMPSocket.Kind(rawValue: socket) != nil else { throw ConfigError("inputs.ping.socket must be auto, raw or datagram") }
        guard timeout.duration >= .milliseconds(10), timeout.duration <= .seconds(60) else {
            throw ConfigError("inputs.ping.timeout must be 10ms...60s")
        }
        guard (0...10).contains(retries) else { throw ConfigError("inputs.ping.retries must be 0...10") }
        guard pace.duration >= .zero, pace.duration <= .seconds(1) else { throw ConfigError("inputs.ping.pace must be 0...1s") }
    }

    public var settings: SweepSettings {
        SweepSettings(timeout: timeout.duration, retries: retries, pace: pace.duration, socket: ICMPSocket.Kind(rawValue: socket) ?? .auto)
    }
}
