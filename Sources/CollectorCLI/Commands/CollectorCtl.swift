import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore

/// `collectorctl`: the operator's command line.
public struct CollectorCtl: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "collectorctl",
        abstract: "Operate a Collector: tokens, agents, instances, crawls, statistics, pools, exports, queries.",
        discussion: """
            Connection: --server HOST:PORT --ca FILE --token-file FILE, or the environment
            variables COLLECTOR_SERVER, COLLECTOR_CA, COLLECTOR_TOKEN_FILE (or COLLECTOR_TOKEN).

            Exit codes: 0 success; 64 bad usage; 65 the collector refused the input;
            66 not found; 69 collector unavailable; 77 not authenticated or not allowed;
            1 anything else.
            """,
        subcommands: [TokenCommand.self, AgentsCommand.self, InstancesCommand.self, CrawlCommand.self, StatsCommand.self, PoolsCommand.self,
                      ComputersCommand.self, ExportCommand.self, QueryCommand.self, SeriesCommand.self, BackupCommand.self,
                      OAuthClientCommand.self, UsersCommand.self])

    public init() {}

    /// Runs the command line. Every failure is reported in one style: a
    /// line `collectorctl: WHAT` on stderr (usage mistakes followed by the
    /// usage), and a documented exit code.
    public static func run(arguments: [String]) async -> Int32 {
        let arguments = ConnectionOptions.movingLeadingOptions(arguments)
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as RPCError {
            return fail(CLIFailure.describe(error), code: exitCode(for: error.code))
        } catch let error as CLIError {
            return fail(error.description, code: error.exitCode)
        } catch {
            let code = exitCode(for: error)
            // --help, --version, completion scripts: ArgumentParser prints them.
            if code == .success { exit(withError: error) }
            return fail(usage(for: error, arguments: arguments), code: code.rawValue)
        }
    }

    private static func fail(_ message: String, code: Int32) -> Int32 {
        Output.toStandardError("collectorctl: \(message)\n")
        return code
    }

    /// ArgumentParser's message in our style, with the nearest command when
    /// a command word was mistyped, and the usage lines it prints after it.
    static func usage(for error: any Error, arguments: [String]) -> String {
        let full = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var first = full.first ?? "\(error)"
        if first.hasPrefix("Error: ") { first.removeFirst("Error: ".count) }
        if let suggestion = CommandSuggestion.message(for: arguments, root: self) { first = suggestion }
        return ([first] + full.dropFirst()).joined(separator: "\n").trimmingWhitespace()
    }

    static func exitCode(for code: RPCError.Code) -> Int32 {
        switch code {
        case .invalidArgument, .failedPrecondition, .outOfRange, .alreadyExists: 65
        case .notFound: 66
        case .unavailable, .deadlineExceeded, .resourceExhausted: 69
        case .unauthenticated, .permissionDenied: 77
        default: 1
        }
    }
}

/// `--json` on every listing.
struct JSONFlag: ParsableArguments {
    @Flag(help: "Print JSON instead of a table.")
    var json = false
}
