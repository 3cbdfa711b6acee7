import ArgumentParser
import CollectorModel
import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore

struct OAuthClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oauth-client", abstract: "Clients of the legacy tracking API (POST /o/token/).",
        subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a client; its secret is printed once.",
            discussion: "Example: collectorctl oauth-client create --name shop --scope write aggregation --json")

        @OptionGroup var connection: ConnectionOptions
        @Option(help: "A name to recognise the client by.") var name: String
        @Option(parsing: .upToNextOption, help: "Scopes: read, write, aggregation.") var scope: [String]
        @Option(help: "Site its events belong to (default legacy).") var site: String?
        @OptionGroup var output: JSONFlag

        func run() async throws {
            var request = Collector_V1_CreateOAuthClientRequest()
            request.name = name
            request.scopes = scope
            request.site = site ?? ""
            let response = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).createOAuthClient(request, metadata: metadata)
            }
            if output.json {
                print(Output.json(object: ["client_id": .string(response.clientID), "client_secret": .string(response.clientSecret)]))
            } else {
                print("client_id:     \(response.clientID)\nclient_secret: \(response.clientSecret)")
                Output.toStandardError("the secret is shown only this once\n")
            }
        }
    }
}
