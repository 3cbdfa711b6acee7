import ArgumentParser
import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore

struct SeriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "series", abstract: "The series there are to query.",
                                                    subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List series by namespace and name.",
            discussion: "Example: collectorctl series list --filter disk (then: collectorctl query NAMESPACE NAME)")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only series whose namespace or name contains this text (any case).") var filter: String?
        @Option(help: "Only this namespace.") var namespace: String?
        @Option(help: "At most this many (the collector lists at most 10000).") var limit: UInt32 = 1000
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let page = try await SeriesCommand.list(filter: filter ?? "", namespace: namespace, limit: limit, connection: connection)
            if output.json { return print(try Output.json(page.series)) }
            var table = Table(["NAMESPACE", "NAME"])
            for series in page.series { table.add([series.namespace, series.name]) }
            print(table.render())
            if page.truncated {
                Output.toStandardError("(more series match; narrow with --filter or raise --limit)\n")
            }
        }
    }

    static func list(filter: String, namespace: String?, limit: UInt32, connection: ConnectionOptions) async throws -> Collector_V1_ListSeriesResponse {
        var request = Collector_V1_ListSeriesRequest()
        request.filter = filter
        request.namespace = namespace ?? ""
        request.limit = limit
        return try await connection.withClient { client, metadata in
            try await Collector_V1_Query.Client(wrapping: client).listSeries(request, metadata: metadata)
        }
    }
}
