/// Every input the agent has, in the order of `inputs:` in the
/// configuration: the one line a new input adds.
public enum AgentInputs {
    public static let all: [any AgentInput.Type] = [
        HostStatsInput.self,
        EventsInput.self,
        CrawlInput.self,
        PingInput.self,
    ]

    /// Their keys under `inputs:`.
    public static var names: [String] { all.map { $0.name } }

    /// The `inputs:` section with every input's sample, as
    /// `collector-agent sample-config` prints it.
    public static var sampleConfig: String {
        "inputs:\n" + all.map { indented($0.sampleConfig) }.joined(separator: "\n")
    }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }
}
