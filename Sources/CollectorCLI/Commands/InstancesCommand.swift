import ArgumentParser
import CollectorProto
import Foundation
import GRPCCore

struct InstancesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "instances", abstract: "Registered application instances.",
                                                    subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List instances, filtered and sorted.",
            discussion: "Example: collectorctl instances list --country CH --sort url --json")

        @OptionGroup var connection: ConnectionOptions
        @Option(help: "enabled or disabled.") var enabled: String?
        @Option(help: "Two-letter country code.") var country: String?
        @Option(help: "Organisation, exactly.") var organization: String?
        @Option(help: "Text in url or contact.") var text: String?
        @Option(help: "Sort by created, updated, url, contact, email, organization, country, enabled.") var sort: String?
        @Flag(help: "Sort descending.") var descending = false
        @Option(help: "Page size (max 1000).") var limit: UInt32 = 100
        @Option(help: "Page token from a previous listing.") var page: String?
        @OptionGroup var output: JSONFlag

        func run() async throws {
            var request = Collector_V1_ListInstancesRequest()
            request.enabled = enabled ?? ""
            request.country = country ?? ""
            request.organization = organization ?? ""
            request.text = text ?? ""
            request.sortBy = sort ?? ""
            request.descending = descending
            request.pageSize = limit
            request.pageToken = page ?? ""
            let response = try await connection.withClient { client, metadata in
                try await Collector_V1_Query.Client(wrapping: client).listInstances(request, metadata: metadata)
            }
            if output.json { return print(try Output.json(response.instances)) }
            var table = Table(["UUID", "URL", "CONTACT", "ORGANIZATION", "COUNTRY", "ENABLED", "LAST CRAWL"])
            for instance in response.instances {
                table.add([instance.uuid, instance.info.url, instance.info.contact, instance.info.organization,
                           instance.country, instance.enabled ? "yes" : "no",
                           instance.hasLastCrawl ? "\(instance.lastCrawl.result) \(Output.time(instance.lastCrawl.timeUnixNano))" : "-"])
            }
            print(table.render())
            if !response.nextPageToken.isEmpty {
                FileHandle.standardError.write(Data("\(response.total) in all; next page: --page \(response.nextPageToken)\n".utf8))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one instance with its crawled fields.",
                                                        discussion: "Example: collectorctl instances show 0d7c...e1 --json")

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Instance uuid.") var uuid: String
        @OptionGroup var output: JSONFlag

        func run() async throws {
            var request = Collector_V1_GetInstanceRequest()
            request.uuid = uuid
            let instance = try await connection.withClient { client, metadata in
                try await Collector_V1_Query.Client(wrapping: client).getInstance(request, metadata: metadata)
            }
            if output.json { return print(try Output.json(instance)) }
            var table = Table(["FIELD", "VALUE"])
            table.add(["uuid", instance.uuid])
            table.add(["url", instance.info.url])
            table.add(["contact", instance.info.contact])
            table.add(["email", instance.info.email])
            table.add(["organization", instance.info.organization])
            table.add(["enabled", instance.enabled ? "yes" : "no"])
            table.add(["country", instance.country])
            table.add(["site", instance.site.isEmpty ? "-" : instance.site])
            table.add(["agent", instance.agentID.isEmpty ? "-" : instance.agentID])
            table.add(["created", Output.time(instance.createdUnixNano)])
            table.add(["updated", Output.time(instance.updatedUnixNano)])
            if instance.hasLastCrawl {
                table.add(["last crawl", "\(instance.lastCrawl.result) at \(Output.time(instance.lastCrawl.timeUnixNano))"])
            }
            print(table.render())
            if !instance.crawledJson.isEmpty { print("\ncrawled:\n\(instance.crawledJson)") }
        }
    }
}
