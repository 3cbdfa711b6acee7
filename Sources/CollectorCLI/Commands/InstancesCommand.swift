import ArgumentParser
import CollectorModel
import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore

struct InstancesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "instances", abstract: "Registered application instances.",
                                                    subcommands: [List.self, Show.self, Enable.self, Disable.self, Delete.self, ExportJSON.self, ImportJSON.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List instances, filtered and sorted.",
            discussion: """
                A filter is FIELD=VALUE, FIELD<VALUE or FIELD>VALUE on a main field (url, contact, email,
                organization, country, enabled, created, updated) or any crawled field; numbers compare as
                numbers. Example: collectorctl instances list --filter indico_version=3.3 --filter 'users>100' --sort users --desc
                """)

        @OptionGroup var connection: ConnectionOptions
        @Option(help: "enabled or disabled.") var enabled: String?
        @Option(help: "Two-letter country code.") var country: String?
        @Option(help: "Organisation, exactly.") var organization: String?
        @Option(help: "Text in url or contact.") var text: String?
        @Option(help: "ok, failed or never: where the last crawl left the instance.") var crawlState: String?
        @Option(name: .customLong("filter"), help: "FIELD=VALUE, FIELD<VALUE or FIELD>VALUE (repeatable).") var filters: [String] = []
        @Option(help: "Sort by a main field (created, updated, url, contact, email, organization, country, enabled) or a crawled field.")
        var sort: String?
        @Flag(name: [.customLong("desc"), .customLong("descending")], help: "Sort descending.") var descending = false
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
            request.crawlState = crawlState ?? ""
            for text in filters {
                let parsed: InstanceQuery.FieldFilter
                do {
                    parsed = try InstanceQuery.FieldFilter.parse(text)
                } catch {
                    throw CLIError(error.description)
                }
                var filter = Collector_V1_FieldFilter()
                switch parsed.field {
                case .main(let main): filter.field = main.rawValue
                case .crawled(let name): filter.field = name
                }
                filter.comparison = parsed.comparison.rawValue
                filter.value = parsed.value
                request.filters.append(filter)
            }
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
                Output.toStandardError("\(response.total) in all; next page: --page \(response.nextPageToken)\n")
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
                table.add(["last crawl", Self.describe(instance.lastCrawl)])
            }
            print(table.render())
            if !instance.fields.isEmpty {
                var fields = Table(["CRAWLED FIELD", "VALUE"])
                for field in instance.fields { fields.add([field.label, Self.shown(field.valueJson)]) }
                print("\n" + fields.render())
            }
            if !instance.crawlHistory.isEmpty {
                var history = Table(["CRAWLED AT", "RESULT", "DETAIL"])
                for outcome in instance.crawlHistory {
                    history.add([Output.time(outcome.timeUnixNano), outcome.result, outcome.detail])
                }
                print("\n" + history.render())
            }
        }

        static func describe(_ outcome: Collector_V1_CrawlOutcome) -> String {
            "\(outcome.result) at \(Output.time(outcome.timeUnixNano))" + (outcome.detail.isEmpty ? "" : " (\(outcome.detail))")
        }

        /// A JSON value as a cell: strings without their quotes.
        static func shown(_ json: String) -> String {
            guard let value = try? JSONValue.parseObject(Array("{\"v\":\(json)}".utf8))["v"] else { return json }
            return value.displayText
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Crawl this instance again.",
                                                        discussion: "Example: collectorctl instances enable 0d7c...e1")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Instance uuid.") var uuid: String

        func run() async throws { try await setEnabled(true, uuid: uuid, connection: connection) }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop crawling this instance (its data stays).",
                                                        discussion: "Example: collectorctl instances disable 0d7c...e1")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Instance uuid.") var uuid: String

        func run() async throws { try await setEnabled(false, uuid: uuid, connection: connection) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an instance without an agent, with its crawl history.",
            discussion: "An agent's instance is refused: it would come back at the agent's next registration. Example: collectorctl instances delete 0d7c...e1")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Instance uuid.") var uuid: String

        func run() async throws {
            var request = Collector_V1_DeleteInstanceRequest()
            request.uuid = uuid
            _ = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).deleteInstance(request, metadata: metadata)
            }
            print("\(uuid) deleted")
        }
    }

    static func setEnabled(_ enabled: Bool, uuid: String, connection: ConnectionOptions) async throws {
        var request = Collector_V1_SetInstanceEnabledRequest()
        request.uuid = uuid
        request.enabled = enabled
        let instance = try await connection.withClient { client, metadata in
            try await Collector_V1_Admin.Client(wrapping: client).setInstanceEnabled(request, metadata: metadata)
        }
        print("\(instance.uuid) \(instance.enabled ? "enabled" : "disabled")")
    }
}

extension InstancesCommand {
    struct ExportJSON: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-json", abstract: "Every instance with its state, country and crawled document as JSON (a backup).",
            discussion: "Example: collectorctl instances export-json > instances.json")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let response = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).exportInstances(.init(), metadata: metadata)
            }
            Swift.print(response.json)
        }
    }

    struct ImportJSON: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-json", abstract: "Create the instances of a backup under their uuids; existing uuids are left alone.",
            discussion: "Every instance is checked first: one bad entry and nothing is imported.\nExample: collectorctl instances import-json instances.json")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "A file written by instances export-json.") var file: String

        func run() async throws {
            var request = Collector_V1_ImportInstancesRequest()
            request.json = try BackupFile.read(file)
            let response = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).importInstances(request, metadata: metadata)
            }
            Swift.print("created \(response.created) instances, skipped \(response.skipped) existing")
        }
    }
}
