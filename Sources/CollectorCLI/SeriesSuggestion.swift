import CollectorProto

/// `query` on a series that does not exist would print an empty table and
/// succeed, which reads as "no data yet". This tells the two apart and
/// names the nearest series there are.
enum SeriesSuggestion {
    /// Candidates looked at for suggestions.
    static let candidates: UInt32 = 10_000

    /// Nil when the series exists; else the line to fail with.
    static func missing(namespace: String, name: String, connection: ConnectionOptions) async throws -> String? {
        let exact = try await SeriesCommand.list(filter: name, namespace: namespace, limit: candidates, connection: connection)
        if exact.series.contains(where: { $0.namespace == namespace && $0.name == name }) { return nil }
        var pool = try await SeriesCommand.list(filter: "", namespace: namespace, limit: candidates, connection: connection).series
        if pool.isEmpty { pool = try await SeriesCommand.list(filter: "", namespace: nil, limit: candidates, connection: connection).series }
        let asked = "\(namespace) \(name)"
        guard !pool.isEmpty else { return "no series '\(asked)': the collector has no series yet" }
        let nearest = pool.map { (series: $0, distance: CommandSuggestion.distance(asked, "\($0.namespace) \($0.name)")) }
            .sorted { $0.distance < $1.distance }
            .prefix(3)
            .map { "'\($0.series.namespace) \($0.series.name)'" }
        return "no series '\(asked)'; nearest: \(nearest.joined(separator: ", ")) (all of them: collectorctl series list --filter TEXT)"
    }
}
