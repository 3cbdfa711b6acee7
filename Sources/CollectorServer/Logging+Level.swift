import Logging

extension Logger {
    /// A logger at the named level (`info` when the name is unknown; configs
    /// are validated before this is reached).
    public init(label: String, levelName: String) {
        self.init(label: label)
        logLevel = Logger.Level(rawValue: levelName) ?? .info
    }
}
