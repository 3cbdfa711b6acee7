import ArgumentParser
import CollectorModel
import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke tokens.",
        subcommands: [Create.self, List.self, Revoke.self, ImportAccessJSON.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it, once.",
            discussion: "Example: collectorctl token create --name lab-agents --scope ingest --site lab-a")

        @OptionGroup var connection: ConnectionOptions
        @Option(help: "A name to recognise the token by.") var name: String
        @Option(parsing: .upToNextOption, help: "Scopes: ingest, read, aggregate, admin.") var scope: [String]
        @Option(help: "Site the token's agents belong to (required with ingest).") var site: String?
        @OptionGroup var output: JSONFlag

        func run() async throws {
            var request = Collector_V1_CreateTokenRequest()
            request.name = name
            request.scopes = scope
            request.site = site ?? ""
            let response = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).createToken(request, metadata: metadata)
            }
            if output.json {
                print(Output.json(object: ["token": .string(response.token), "id": .string(response.info.id), "name": .string(response.info.name),
                                           "scopes": .array(response.info.scopes.map(JSONValue.string)), "site": .string(response.info.site)]))
            } else {
                print(response.token)
                Output.toStandardError("token \(response.info.id) created; it is shown only this once\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let tokens = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).listTokens(.init(), metadata: metadata).tokens
            }
            if output.json { return print(try Output.json(tokens)) }
            var table = Table(["ID", "NAME", "SCOPES", "SITE", "CREATED", "LAST USED", "REVOKED"])
            for token in tokens {
                table.add([token.id, token.name, token.scopes.joined(separator: ","), token.site.isEmpty ? "-" : token.site,
                           Output.time(token.createdUnixNano), Output.time(token.lastUsedUnixNano), Output.time(token.revokedUnixNano)])
            }
            print(table.render())
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id or name; it stops working at once.")

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Token id or name.") var id: String
        @OptionGroup var output: JSONFlag

        func run() async throws {
            var request = Collector_V1_RevokeTokenRequest()
            request.id = id
            let response = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).revokeToken(request, metadata: metadata)
            }
            if output.json { return print(try Output.json(response.info)) }
            print("revoked \(response.info.id) (\(response.info.name))")
        }
    }

    struct ImportAccessJSON: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-access-json",
            abstract: "Import the tokens of an older event service's access.json, so its clients keep working.",
            discussion: "Each token is stored hashed with ingest and read scope under its identity. Example: collectorctl token import-access-json /etc/stats/access.json")

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The access.json file.") var file: String
        @Option(help: "Site their events belong to (default legacy).") var site: String?
        @OptionGroup var output: JSONFlag

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            var request = Collector_V1_ImportTokensRequest()
            request.tokens = try AccessFile.entries(from: data).map { entry in
                var imported = Collector_V1_ImportedToken()
                imported.token = entry.token
                imported.identity = entry.identity
                return imported
            }
            request.site = site ?? ""
            let response = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).importTokens(request, metadata: metadata)
            }
            if output.json { return print(try Output.json(response)) }
            print("imported \(response.imported) token(s); \(response.skipped) already present")
        }
    }
}
