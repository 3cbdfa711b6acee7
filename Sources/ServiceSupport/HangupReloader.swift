import Logging
import ServiceLifecycle
import UnixSignals

/// Runs `reload` on every SIGHUP, which is what `systemctl reload` sends
/// (`ExecReload=kill -HUP $MAINPID`), and says in the journal what changed.
/// Reloads run one at a time; signals that arrive during one are folded
/// into the next.
public struct HangupReloader: Service {
    let daemon: String
    let logger: Logger
    let reload: @Sendable () throws -> ReloadReport

    public init(daemon: String, logger: Logger, reload: @escaping @Sendable () throws -> ReloadReport) {
        self.daemon = daemon
        self.logger = logger
        self.reload = reload
    }

    public func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups { reloadAndLog() }
        }
    }

    func reloadAndLog() {
        do {
            let report = try reload()
            logger.notice("configuration reloaded", metadata: [
                "applied": "\(report.applied.joined(separator: ","))",
                "needs_restart": "\(report.needsRestart.joined(separator: ","))",
            ])
            if !report.needsRestart.isEmpty {
                logger.warning("changed settings keep their old values until the \(daemon) restarts",
                               metadata: ["settings": "\(report.needsRestart.joined(separator: ", "))"])
            }
        } catch {
            logger.error("reload failed; the running configuration is unchanged", metadata: ["error": "\(error)"])
        }
    }
}

/// What a reload did: the settings now in effect, and the changed ones
/// that keep their old values until the daemon restarts.
public struct ReloadReport: Sendable, Equatable, CustomStringConvertible {
    public var applied: [String]
    public var needsRestart: [String]

    public init(applied: [String] = [], needsRestart: [String] = []) {
        self.applied = applied
        self.needsRestart = needsRestart
    }

    public var description: String {
        let applied = applied.isEmpty ? "no setting changed" : "applied " + applied.joined(separator: ", ")
        guard !needsRestart.isEmpty else { return applied }
        return applied + "; a restart is needed for " + needsRestart.joined(separator: ", ")
    }
}
