import Logging
import Synchronization

/// One log level for every logger a daemon makes, changeable while it runs
/// (`systemctl reload`): swift-log copies a `Logger` into every component,
/// so a level kept in each copy could not be changed afterwards.
public final class LogLevelSwitch: Sendable {
    private let current: Mutex<Logger.Level>

    public init(_ level: Logger.Level = .info) {
        current = Mutex(level)
    }

    public var level: Logger.Level {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// A logger writing to standard error (journald under systemd) at the
    /// switch's level.
    public func logger(label: String) -> Logger {
        Logger(label: label) { label in self.handler(label: label) }
    }

    /// For `LoggingSystem.bootstrap`, so libraries' loggers follow the switch too.
    public func handler(label: String) -> any LogHandler {
        SwitchedLogHandler(base: StreamLogHandler.standardError(label: label), level: self)
    }
}

/// A log handler whose level is the switch's, not its own.
struct SwitchedLogHandler: LogHandler {
    var base: StreamLogHandler
    let level: LogLevelSwitch

    var logLevel: Logger.Level {
        get { level.level }
        set { level.level = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        base.log(event: event)
    }
}
