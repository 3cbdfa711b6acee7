import ArgumentParser
import Foundation
import GRPCCore

/// `collectorctl`: the operator's command line.
public struct CollectorCtl: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "collectorctl",
        abstract: "Operate a Collector: tokens, agents, instances, crawls, statistics, pools, exports, queries.",
        discussion: """
            Connection: --server HOST:PORT --ca FILE --token-file FILE, or the environment
            variables COLLECTOR_SERVER, COLLECTOR_CA, COLLECTOR_TOKEN.

            Exit codes: 0 success; 64 bad usage; 65 the collector refused the input;
            66 not found; 69 collector unavailable; 77 not authenticated or not allowed;
            1 anything else.
            """,
        subcommands: [TokenCommand.self, AgentsCommand.self, InstancesCommand.self, CrawlCommand.self, StatsCommand.self, PoolsCommand.self,
                      ComputersCommand.self, ExportCommand.self, QueryCommand.self, BackupCommand.self,
                      OAuthClientCommand.self])

    public init() {}

    /// Runs the command line, turning gRPC failures into one clear line and
    /// a documented exit code.
    public static func run(arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(ConnectionOptions.movingLeadingOptions(arguments))
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as RPCError {
            FileHandle.standardError.write(Data("collectorctl: \(Self.describe(error.code)): \(error.message)\n".utf8))
            return exitCode(for: error.code)
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("collectorctl: \(error.description)\n".utf8))
            return 64
        } catch {
            // Usage errors and --help: ArgumentParser prints and exits as usual.
            exit(withError: error)
        }
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

    static func describe(_ code: RPCError.Code) -> String {
        switch code {
        case .unauthenticated: "not authenticated (UNAUTHENTICATED)"
        case .permissionDenied: "not allowed (PERMISSION_DENIED)"
        case .notFound: "not found (NOT_FOUND)"
        case .invalidArgument: "refused (INVALID_ARGUMENT)"
        case .unavailable: "collector unavailable (UNAVAILABLE)"
        default: "\(code)"
        }
    }
}

/// `--json` on every listing.
struct JSONFlag: ParsableArguments {
    @Flag(help: "Print JSON instead of a table.")
    var json = false
}
