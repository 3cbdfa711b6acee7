import ArgumentParser
@testable import CollectorCLI
import Foundation
import Testing

/// collectorctl's own handling of what was typed: the nearest command for a
/// typo, negative numbers, day ranges. The messages as a user sees them are
/// checked against the real binary by scripts/smoke-test.
@Suite("collectorctl command line")
struct CommandLineTests {
    @Test(arguments: [
        (["agent", "list"], "unknown command 'agent'; did you mean 'collectorctl agents list'?"),
        (["agents", "lst"], "unknown command 'agents lst'; did you mean 'collectorctl agents list'?"),
        (["pools", "stauts", "lab-1"], "unknown command 'pools stauts'; did you mean 'collectorctl pools status lab-1'?"),
        (["instaces", "list", "--json"], "unknown command 'instaces'; did you mean 'collectorctl instances list'?"),
        (["seris", "list"], "unknown command 'seris'; did you mean 'collectorctl series list'?"),
    ])
    func aMistypedCommandGetsTheNearestOne(_ arguments: [String], _ expected: String) {
        #expect(CommandSuggestion.message(for: arguments, root: CollectorCtl.self) == expected)
    }

    @Test func nothingNearNamesTheChoicesAndRightCommandsGetNoSuggestion() throws {
        let message = try #require(CommandSuggestion.message(for: ["agents", "zzzzzz"], root: CollectorCtl.self))
        #expect(message == "unknown command 'agents zzzzzz'; the commands there are: list")
        // A full command with a wrong option or argument is not a command typo.
        #expect(CommandSuggestion.message(for: ["agents", "list", "--jsn"], root: CollectorCtl.self) == nil)
        #expect(CommandSuggestion.message(for: ["instances", "show", "not-a-uuid"], root: CollectorCtl.self) == nil)
        #expect(CommandSuggestion.message(for: ["--help"], root: CollectorCtl.self) == nil)
    }

    @Test func usageErrorsStartWithTheProgramAndKeepTheUsage() throws {
        let error = try #require(throws: (any Error).self) { _ = try CollectorCtl.parseAsRoot(["agents", "lst"]) }
        let text = CollectorCtl.usage(for: error, arguments: ["agents", "lst"])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "unknown command 'agents lst'; did you mean 'collectorctl agents list'?")
        #expect(lines.contains { $0.hasPrefix("Usage: collectorctl agents") })
        #expect(!text.contains("Error:"))
    }

    /// `--watts -5` reads as a value, so the collector's own check answers
    /// (`watts: must be a number of watts, 0 or more`), not "Missing value".
    @Test func negativeWattsReachTheRealCheck() throws {
        let add = try CollectorCtl.parseAsRoot(["pools", "add", "lab", "--room", "1", "--watts", "-5", "--standby-watts", "-1", "--agent", "a"])
        let command = try #require(add as? PoolsCommand.Add)
        #expect(command.watts == -5)
        #expect(command.standbyWatts == -1)
        let edit = try #require(try CollectorCtl.parseAsRoot(["pools", "edit", "lab", "--watts", "-0.5"]) as? PoolsCommand.Edit)
        #expect(edit.watts == -0.5)
    }

    /// One rule for days: `--from DAY --through DAY`, both included; a
    /// `--to` (query's excluded end) is refused, not read a day off.
    @Test func daysRunThroughTheLastDayAndToIsRefused() throws {
        let export = try #require(try CollectorCtl.parseAsRoot(["export", "--from", "2024-03-01", "--through", "2024-03-31"]) as? ExportCommand)
        #expect(try export.days.lastDay() == "2024-03-31")
        let report = try #require(try CollectorCtl.parseAsRoot(["pools", "report", "--from", "2024-03-01", "--to", "2024-04-01"]) as? PoolsCommand.Report)
        let refusal = #expect(throws: CLIError.self) { try report.days.lastDay() }
        #expect(refusal?.description.contains("--through") == true)
    }

    @Test func theTokenFileComesFromTheEnvironmentToo() throws {
        let directory = try TemporaryDirectory("token-file")
        try "  from-the-file\n".write(toFile: directory.file("admin.token"), atomically: true, encoding: .utf8)
        setenv("COLLECTOR_TOKEN_FILE", directory.file("admin.token"), 1)
        defer { unsetenv("COLLECTOR_TOKEN_FILE") }
        let options = try ConnectionOptions.parse([])
        #expect(try options.resolvedToken() == "from-the-file")
        // A flag still wins over the environment.
        #expect(try ConnectionOptions.parse(["--token", "flag"]).resolvedToken() == "flag")
    }

    @Test func disksShowUseAsDfComputesIt() {
        // The host: 22.9 GB used of 270.6 GB, 78.6 GB available: df says 23 %, not 8 %.
        #expect(DiskColumn.percent(used: 22_900_000_000, available: 78_600_000_000) == "23%")
        #expect(DiskColumn.percent(used: 0, available: 10) == "0%")
        #expect(DiskColumn.percent(used: 1, available: 999) == "1%")
    }
}
