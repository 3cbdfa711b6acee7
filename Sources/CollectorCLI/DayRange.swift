import ArgumentParser

/// Whole days, both included: `--from DAY --through DAY`, for `export` and
/// `pools report`. `query` takes times and an excluded end (`--to`); a flag
/// spelt the same with another meaning is a trap, so here the last day is
/// `--through`, and a `--to` says so instead of counting a day more or less.
struct DayRange: ParsableArguments {
    @Option(help: "First day, YYYY-MM-DD (included).") var from: String
    @Option(help: "Last day, YYYY-MM-DD (included).") var through: String?
    @Option(help: .hidden) var to: String?

    func lastDay() throws -> String {
        if to != nil {
            throw CLIError("--to: days here run --from DAY --through DAY, both included (query's --to is an end that is left out)")
        }
        guard let through else { throw CLIError("--through: the last day is required, YYYY-MM-DD (included)") }
        return through
    }
}
