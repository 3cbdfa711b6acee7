import ArgumentParser
import CollectorCLI
import CollectorModel
import CollectorServer
import Foundation
import Logging
import ServiceSupport

/// The package installs `collectorctl` as a link to this binary: the two
/// share nearly all their code (the Swift runtime, gRPC, TLS, protobuf),
/// so it is on disk once instead of twice. The name it is called by picks
/// the program.
@main
enum CollectorMain {
    static func main() async {
        let calledAs = CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent }
        if calledAs == "collectorctl" {
            exit(await CollectorCtl.run(arguments: Array(CommandLine.arguments.dropFirst())))
        }
        await Collector.main()
    }
}

struct Collector: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector",
        abstract: "The Collector service: gRPC over TLS for agents and tools, HTTP for legacy clients.",
        subcommands: [Serve.self, CheckConfig.self, Restore.self, MigrateStore.self],
        defaultSubcommand: Serve.self)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the collector.")

    @Option(help: "Directory for the database, development TLS material and admin.token.")
    var dataDir: String?
    @Option(help: "YAML configuration file.")
    var config: String?
    @Option(help: "gRPC (TLS) listen address, HOST:PORT. Default 127.0.0.1:7443.")
    var grpcListen: String?
    @Option(help: "HTTP listen address, HOST:PORT. Default 127.0.0.1:8080.")
    var httpListen: String?

    func run() async throws {
        HeapTuning.configureForBursts()
        let logLevel = LogLevelSwitch()
        LoggingSystem.bootstrap { label in logLevel.handler(label: label) }
        let path = config
        let load: @Sendable () throws -> CollectorConfig = { try CollectorConfig.load(from: path) }
        let fileConfig = try load()
        logLevel.level = Logger.Level(rawValue: fileConfig.logLevel) ?? .info
        guard let dataDirectory = dataDir ?? fileConfig.dataDir else {
            throw ValidationError("--data-dir (or data_dir in the config) is required")
        }
        let options = ServeOptions(
            dataDirectory: dataDirectory, config: fileConfig,
            grpcListen: try HostPort(parsing: grpcListen ?? fileConfig.grpc.listen, field: "grpc-listen"),
            httpListen: try HostPort(parsing: httpListen ?? fileConfig.http.listen, field: "http-listen"),
            logLevel: logLevel, reloadConfig: load)
        let logger = logLevel.logger(label: "collector")
        if let files = FileDescriptorLimit.raiseToHardLimit() {
            logger.info("open-file limit", metadata: ["soft": "\(files.before) -> \(files.after)"])
        }
        // Before the application starts its threads, so they all inherit it.
        let slice = fileConfig.schedulerSliceMicroseconds
        do {
            try SchedulerSlice.request(slice == 0 ? nil : .microseconds(slice))
        } catch {
            logger.warning("the kernel refused the scheduler slice; running with its default", metadata: ["scheduler_slice_us": "\(slice)", "error": "\(error)"])
        }
        let application = try await CollectorApplication(options: options, logger: logger)
        try await application.run()
    }
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file and print the configuration it gives.",
        discussion: """
            The output is the file with every default filled in and COLLECTOR_* environment overrides applied \
            (COLLECTOR_LOG_LEVEL=debug, COLLECTOR_CRAWL__INTERVAL=1h: sections joined by a double underscore), \
            secrets masked. Exit status 0 when valid, 1 with a line naming the key when not.
            Example: collector check-config /etc/collector/collector.yaml (or --config FILE)
            """)

    @Argument(help: "YAML configuration file (or --config FILE; neither: the defaults).")
    var file: String?
    @Option(help: "YAML configuration file, as `collector serve` takes it.")
    var config: String?
    @Flag(help: "Only validate; print nothing but errors.")
    var quiet = false

    func run() async throws {
        let path = try CheckConfigFile.choose(argument: file, option: config)
        let config = try CollectorConfig.load(from: path)
        guard !quiet else { return }
        print("# \(path ?? "defaults"): ok. Effective configuration (defaults filled in, environment applied, secrets masked):")
        print(try EffectiveConfig.yaml(config), terminator: "")
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup (collectorctl backup) in place as the data directory's database.",
        discussion: """
            Refused while a collector runs on DIR, and when FILE fails SQLite's integrity check or is not a
            Collector database. The database it replaces is kept beside it as collector.sqlite.before-restore-<time>.
            Example: collector restore /srv/backups/collector-2024-03-01.sqlite --data-dir /var/lib/collector
            """)

    @Argument(help: "The backup file.")
    var file: String
    @Option(help: "The collector's data directory.")
    var dataDir: String

    func run() async throws {
        let directory = DataDirectory(path: dataDir)
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let kept = try directory.restore(from: file)
        print("restored \(file) into \(dataDir)" + (kept.map { "; the previous database is kept as \($0)" } ?? ""))
    }
}

struct MigrateStore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract: "Move a single collector's SQLite database into an empty PostgreSQL, for several collectors to share.",
        discussion: """
            Refused while a collector runs on DIR, and when the target database already holds data. Every table is copied \
            in one transaction (a failure leaves the target empty), then read back and checked by its row count and a \
            checksum of its rows. The SQLite file is left as it was. Then set `store:` in each collector's configuration.
            Example: collector migrate-store --from /var/lib/collector \\
                       --to 'postgres://collector@db:5432/collector?sslmode=verify-full' --password-file /etc/collector/db-password
            """)

    @Option(help: "The collector's data directory (its collector.sqlite).")
    var from: String
    @Option(help: "The PostgreSQL URL, as in store: (no password in it).")
    var to: String
    @Option(help: "The PostgreSQL password; without it, $COLLECTOR_STORE_PASSWORD.")
    var passwordFile: String?

    func run() async throws {
        var logger = Logger(label: "collector.migrate-store")
        logger.logLevel = .warning
        let reports = try await DataDirectory(path: from).migrateStore(to: to, passwordFile: passwordFile, logger: logger)
        print("table".padding(toLength: 20, withPad: " ", startingAt: 0) + "rows".leftPadded(12) + "  checksum")
        for report in reports {
            print(report.table.padding(toLength: 20, withPad: " ", startingAt: 0) + "\(report.targetRows)".leftPadded(12)
                  + "  " + String(report.targetChecksum, radix: 16) + (report.matches ? "  ok" : "  DIFFERS"))
        }
        print("moved \(reports.reduce(0) { $0 + $1.targetRows }) rows in \(reports.count) tables; each read back and matched. "
              + "Now set `store:` to the URL in every collector's configuration.")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

