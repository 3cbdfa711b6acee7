import ArgumentParser
import CollectorModel
import CollectorProto
import CollectorWire
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore

struct PoolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pools", abstract: "Lab pools: rooms of computers an agent sweeps.",
        subcommands: [Add.self, Edit.self, Remove.self, List.self, Show.self, Status.self, Report.self, ExportJSON.self, ImportJSON.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a pool.",
            discussion: "Example: collectorctl pools add lab-1 --room 1.23 --watts 80 --standby-watts 2 --agent 5f0c... --interval 5m --meta printer=yes")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pool name (unique).") var name: String
        @Option(help: "Room number.") var room: String
        // Unconditional: `--watts -5` reaches the collector's check instead
        // of reading as an option named -5.
        @Option(parsing: .unconditional, help: "Watts of one computer switched on.") var watts: Double
        @Option(parsing: .unconditional, help: "Watts of one computer in standby.") var standbyWatts: Double?
        @Option(help: "Id of the agent that sweeps the pool (collectorctl agents list).") var agent: String
        @Flag(help: "Accept an --agent that has not registered yet (it sweeps the pool once it does).")
        var allowUnregisteredAgent = false
        @Option(help: "Sweep interval, e.g. 5m or 30s (at least 1s).") var interval = "5m"
        @Option(name: .customLong("meta"), help: "KEY=VALUE metadata (repeatable).") var metadata: [String] = []
        @Option(name: .customLong("computer"), help: "Address, name or START-END range (repeatable).") var computers: [String] = []
        @OptionGroup var output: JSONFlag

        func run() async throws {
            var pool = Collector_V1_Pool()
            pool.name = name
            pool.room = room
            pool.watts = watts
            pool.standbyWatts = standbyWatts ?? 0
            pool.agentID = agent
            pool.intervalMs = try PoolsCommand.milliseconds(interval)
            pool.metadata = try PoolsCommand.metadata(metadata)
            pool.computers = computers
            var request = Collector_V1_CreatePoolRequest()
            request.pool = pool
            request.allowUnregisteredAgent = allowUnregisteredAgent
            let created = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).createPool(request, metadata: metadata)
            }
            try PoolsCommand.print(created, json: output.json)
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a pool; only the options given change.",
            discussion: "Example: collectorctl pools edit lab-1 --watts 65 --meta printer=")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pool name.") var name: String
        @Option(help: "New name.") var rename: String?
        @Option(help: "Room number.") var room: String?
        @Option(parsing: .unconditional, help: "Watts of one computer switched on.") var watts: Double?
        @Option(parsing: .unconditional, help: "Watts in standby.") var standbyWatts: Double?
        @Option(help: "Agent id.") var agent: String?
        @Flag(help: "Accept an --agent that has not registered yet.") var allowUnregisteredAgent = false
        @Option(help: "Sweep interval.") var interval: String?
        @Option(name: .customLong("meta"), help: "KEY=VALUE (an empty VALUE removes the key; repeatable).") var metadata: [String] = []
        @OptionGroup var output: JSONFlag

        func run() async throws {
            var request = Collector_V1_UpdatePoolRequest()
            request.name = name
            if let rename { request.newName = rename }
            if let room { request.room = room }
            if let watts { request.watts = watts }
            if let standbyWatts { request.standbyWatts = standbyWatts }
            if let agent { request.agentID = agent }
            request.allowUnregisteredAgent = allowUnregisteredAgent
            if let interval { request.intervalMs = try PoolsCommand.milliseconds(interval) }
            request.metadata = try PoolsCommand.metadata(metadata)
            let pool = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).updatePool(request, metadata: metadata)
            }
            try PoolsCommand.print(pool, json: output.json)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a pool and its sweeps.", discussion: "Example: collectorctl pools remove lab-1")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pool name.") var name: String

        func run() async throws {
            var request = Collector_V1_DeletePoolRequest()
            request.name = name
            _ = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).deletePool(request, metadata: metadata)
            }
            Swift.print("pool \(name) removed")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pools.", discussion: "Example: collectorctl pools list --json")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let pools = try await connection.withClient { client, metadata in
                try await Collector_V1_Query.Client(wrapping: client).listPools(Collector_V1_ListPoolsRequest(), metadata: metadata).pools
            }
            if output.json { return Swift.print(try Output.json(pools)) }
            var table = Table(["ID", "NAME", "ROOM", "COMPUTERS", "WATTS", "STANDBY", "INTERVAL", "AGENT"], rightAligned: [0, 3, 4, 5])
            for pool in pools {
                table.add([String(pool.id), pool.name, pool.room, String(pool.computers.count), Bar.number(pool.watts),
                           pool.standbyWatts > 0 ? Bar.number(pool.standbyWatts) : "-", "\(pool.intervalMs / 1000)s", pool.agentID])
            }
            Swift.print(table.render())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one pool with its computers.", discussion: "Example: collectorctl pools show lab-1")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pool name.") var name: String
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let status = try await PoolsCommand.status(of: name, connection: connection)
            try PoolsCommand.print(status.pool, json: output.json)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each computer of a pool: up or down at the last sweep, last seen up, last round trip.",
            discussion: "Example: collectorctl pools status lab-1 --json")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pool name.") var name: String
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let status = try await PoolsCommand.status(of: name, connection: connection)
            if output.json { return Swift.print(try Output.json(status)) }
            var table = Table(["ADDRESS", "STATE", "LAST SEEN UP", "LAST RTT", "LAST SWEEP"])
            for computer in status.computers {
                let state = computer.lastSweepUnixNano == 0 ? "never swept" : computer.up ? "up" : "down (\(computer.reason))"
                table.add([computer.address, state, Output.time(computer.lastUpUnixNano),
                           computer.up ? String(printf: "%.2f ms", computer.lastRttMs) : "-", Output.time(computer.lastSweepUnixNano)])
            }
            Swift.print(table.render())
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Runtime and energy per day and pool.",
            discussion: """
                Days are counted in the collector's pools.time_zone. Average runtime is over the computers
                that were on that day. Unknown hours are hours no two consecutive sweeps cover.
                Example: collectorctl pools report --from 2024-03-01 --through 2024-03-31 --pool lab-1
                """)
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var days: DayRange
        @Option(name: .customLong("pool"), help: "Pool name (repeatable; all when absent).") var pools: [String] = []
        @OptionGroup var output: JSONFlag

        func run() async throws {
            var request = Collector_V1_PoolReportRequest()
            request.fromDate = days.from
            request.toDate = try days.lastDay()
            request.pools = pools
            let report = try await connection.withClient { client, metadata in
                try await Collector_V1_Query.Client(wrapping: client).poolReport(request, metadata: metadata)
            }
            if output.json { return Swift.print(try Output.json(report.days)) }
            var table = Table(["DATE", "POOL", "ROOM", "RUNTIME H", "AVG H (USED)", "ENERGY KWH", "PCS", "USED", "UNKNOWN H"],
                              rightAligned: [3, 4, 5, 6, 7, 8])
            for day in report.days {
                table.add([day.date, day.pool, day.room, String(printf: "%.2f", day.runtimeHours), String(printf: "%.2f", day.averageHours),
                           String(printf: "%.3f", day.energyKwh), String(day.computers), String(day.used), String(printf: "%.2f", day.unknownHours)])
            }
            Swift.print(table.render())
        }
    }

    struct ExportJSON: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export-json", abstract: "Every pool with its computers as JSON (a backup).",
                                                        discussion: "Example: collectorctl pools export-json > pools.json")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let response = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).exportPools(Collector_V1_ExportPoolsRequest(), metadata: metadata)
            }
            Swift.print(response.json)
        }
    }

    struct ImportJSON: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-json", abstract: "Create the pools of a backup; existing names are left alone.",
            discussion: "Example: collectorctl pools import-json pools.json")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "A file written by pools export-json.") var file: String

        func run() async throws {
            var request = Collector_V1_ImportPoolsRequest()
            request.json = try BackupFile.read(file)
            let response = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).importPools(request, metadata: metadata)
            }
            Swift.print("created \(response.created) pools, skipped \(response.skipped) existing")
        }
    }

    static func status(of pool: String, connection: ConnectionOptions) async throws -> Collector_V1_PoolStatusResponse {
        var request = Collector_V1_PoolStatusRequest()
        request.pool = pool
        return try await connection.withClient { client, metadata in
            try await Collector_V1_Query.Client(wrapping: client).poolStatus(request, metadata: metadata)
        }
    }

    static func milliseconds(_ text: String) throws -> UInt64 {
        do {
            return UInt64(max(0, try ConfigDuration.parse(text).seconds * 1000))
        } catch {
            throw CLIError("--interval: \(error.message)")
        }
    }

    static func metadata(_ pairs: [String]) throws -> [String: String] {
        var metadata: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "=") else { throw CLIError("--meta: '\(pair)' is not KEY=VALUE") }
            metadata[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return metadata
    }

    static func print(_ pool: Collector_V1_Pool, json: Bool) throws {
        if json { return Swift.print(try Output.json(pool)) }
        var table = Table(["FIELD", "VALUE"])
        table.add(["id", String(pool.id)])
        table.add(["name", pool.name])
        table.add(["room", pool.room])
        table.add(["watts", Bar.number(pool.watts)])
        table.add(["standby watts", pool.standbyWatts > 0 ? Bar.number(pool.standbyWatts) : "-"])
        table.add(["agent", pool.agentID])
        table.add(["interval", "\(Double(pool.intervalMs) / 1000)s"])
        for (key, value) in pool.metadata.sorted(by: { $0.key < $1.key }) { table.add(["meta \(key)", value]) }
        table.add(["computers", "\(pool.computers.count): \(pool.computers.prefix(8).joined(separator: " "))\(pool.computers.count > 8 ? " ..." : "")"])
        Swift.print(table.render())
    }
}

struct ComputersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "computers", abstract: "Computers of a pool.", subcommands: [Add.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add computers: addresses, names, or inclusive START-END ranges.",
            discussion: "Example: collectorctl computers add lab-1 10.0.1.10-10.0.1.40 pc-spare.lab.example 2001:db8::10")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "Addresses, names or ranges.") var addresses: [String]

        func run() async throws {
            let result = try await ComputersCommand.call(pool, addresses, connection: connection, add: true)
            Swift.print("pool \(result.name) has \(result.computers.count) computers")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove computers (their sweeps stay in the history).",
                                                        discussion: "Example: collectorctl computers remove lab-1 10.0.1.10-10.0.1.12")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "Addresses, names or ranges.") var addresses: [String]

        func run() async throws {
            let result = try await ComputersCommand.call(pool, addresses, connection: connection, add: false)
            Swift.print("pool \(result.name) has \(result.computers.count) computers")
        }
    }

    static func call(_ pool: String, _ addresses: [String], connection: ConnectionOptions, add: Bool) async throws -> Collector_V1_Pool {
        var request = Collector_V1_ComputersRequest()
        request.pool = pool
        request.addresses = addresses
        return try await connection.withClient { client, metadata in
            let admin = Collector_V1_Admin.Client(wrapping: client)
            return add ? try await admin.addComputers(request, metadata: metadata) : try await admin.removeComputers(request, metadata: metadata)
        }
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Pool runtime and energy per day as CSV on stdout (the lab pinger's columns).",
        discussion: """
            One row per day; for each pool: an empty cell, room, runtime sum (h), real average runtime (h, over the
            computers used), energy (Wh = runtime × watts), number of computers. Hours to 0.01 h.
            Example: collectorctl export --from 2024-03-01 --through 2024-03-31 --pool lab-1 > march.csv
            """)
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var days: DayRange
    @Option(name: .customLong("pool"), help: "Pool name (repeatable; all when absent).") var pools: [String] = []
    @Option(help: "unix (every field quoted, LF) or excel (minimal quoting, CRLF).") var dialect = "unix"

    func run() async throws {
        var request = Collector_V1_ExportCSVRequest()
        request.fromDate = days.from
        request.toDate = try days.lastDay()
        request.pools = pools
        request.dialect = dialect
        let response = try await connection.withClient { client, metadata in
            try await Collector_V1_Query.Client(wrapping: client).exportCSV(request, metadata: metadata)
        }
        print(response.csv, terminator: "")
    }
}
