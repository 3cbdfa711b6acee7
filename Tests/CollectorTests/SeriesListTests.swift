@testable import CollectorCLI
import CollectorModel
import CollectorProto
import Foundation
import GRPCCore
import Testing

/// Which series exist: `collectorctl series list`, and `query` telling a
/// series that does not exist from one with nothing in the window.
@Suite("Series list", .serialized)
struct SeriesListTests {
    @Test func seriesAreListedByFilterAndNamespaceAndAMissingOneIsNamed() async throws {
        let directory = try TemporaryDirectory("series-list")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let admin = collector.adminToken
        let now = Date()
        try await collector.store.insertEvents([
            Event(id: "e1", namespace: "shop", name: "checkout", time: now, value: 1),
            Event(id: "e2", namespace: "shop", name: "checkout-failed", time: now, value: 1),
            Event(id: "e3", namespace: "smoke", name: "clicks", time: now, value: 2),
        ], at: now)
        func list(_ filter: String = "", namespace: String = "", limit: UInt32 = 0) async throws -> Collector_V1_ListSeriesResponse {
            var request = Collector_V1_ListSeriesRequest()
            request.filter = filter
            request.namespace = namespace
            request.limit = limit
            return try await collector.withClient { client in
                try await Collector_V1_Query.Client(wrapping: client).listSeries(request, metadata: bearer(admin))
            }
        }
        func names(_ response: Collector_V1_ListSeriesResponse) -> [String] { response.series.map { "\($0.namespace) \($0.name)" } }
        #expect(try await names(list()) == ["shop checkout", "shop checkout-failed", "smoke clicks"])
        #expect(try await names(list("CHECK")) == ["shop checkout", "shop checkout-failed"])
        #expect(try await names(list(namespace: "smoke")) == ["smoke clicks"])
        #expect(try await names(list("sm")) == ["smoke clicks"])
        let page = try await list(limit: 2)
        #expect(page.series.count == 2 && page.truncated)
        #expect(try await !list().truncated)

        let options = try ConnectionOptions.parse(["--server", collector.grpcTarget.description, "--ca", collector.caPath, "--token", admin])
        #expect(try await SeriesSuggestion.missing(namespace: "smoke", name: "clicks", connection: options) == nil)
        let missing = try #require(try await SeriesSuggestion.missing(namespace: "smoke", name: "clickz", connection: options))
        #expect(missing.hasPrefix("no series 'smoke clickz'; nearest: 'smoke clicks'"), "\(missing)")
        #expect(missing.contains("collectorctl series list"))
        let otherNamespace = try #require(try await SeriesSuggestion.missing(namespace: "shoop", name: "checkout", connection: options))
        #expect(otherNamespace.contains("nearest: 'shop checkout'"), "\(otherNamespace)")

        // The command line: a missing series is exit 66 (not found), an
        // existing one with nothing in the window is an empty table and 0.
        let connection = ["--server", collector.grpcTarget.description, "--ca", collector.caPath, "--token", admin]
        #expect(await CollectorCtl.run(arguments: connection + ["query", "smoke", "clickz"]) == 66)
        #expect(await CollectorCtl.run(arguments: connection + ["query", "smoke", "clicks", "--from", "2001-01-01", "--to", "2001-01-02"]) == 0)
        #expect(await CollectorCtl.run(arguments: connection + ["series", "list", "--filter", "shop"]) == 0)
        await collector.stop()
    }
}
