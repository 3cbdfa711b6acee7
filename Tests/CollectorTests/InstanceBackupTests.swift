import CollectorModel
import CollectorProto
import Foundation
import GRPCCore
import Testing

/// `instances export-json` / `import-json`: a move to a new collector keeps
/// every instance under its uuid, and a bad backup imports nothing.
@Suite("Instance backup", .serialized)
struct InstanceBackupTests {
    @Test func exportedInstancesImportUnderTheirUUIDsAndBadBackupsChangeNothing() async throws {
        let directory = try TemporaryDirectory("instance-backup")
        let old = try await RunningCollector.start(dataDirectory: directory.file("old"))
        let base = "http://127.0.0.1:\(old.addresses.httpPort)"
        let headers = ["Content-Type": "application/json"]
        var uuids: [String] = []
        for name in ["a", "b"] {
            let created = try await http("POST", base + "/api/instance/", headers: headers,
                                         body: #"{"url": "https://\#(name).example.org", "contact": "Ada", "email": "ada@example.org", "organisation": "Lab"}"#)
            uuids.append(try #require((created.json as? [String: String])?["uuid"]))
        }
        _ = try await http("PATCH", base + "/api/instance/\(uuids[1])", headers: headers, body: #"{"enabled": false}"#)
        let uuid = try #require(UUID(uuidString: uuids[0]))
        try await old.store.recordCrawls([CrawlSample(
            instanceUUID: uuid, outcome: CrawlOutcome(time: Date(timeIntervalSince1970: 1_700_000_000), result: "ok", httpStatus: 200),
            document: ["users": .integer(12), "indico_version": .string("3.3")])])
        try await old.store.setInstanceCountry(uuid: uuid, country: "CH", at: Date())
        let json = try await old.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).exportInstances(.init(), metadata: bearer(old.adminToken)).json
        }
        let before = try await old.store.instances(InstanceQuery()).instances
        await old.stop()

        let new = try await RunningCollector.start(dataDirectory: directory.file("new"))
        func importing(_ json: String) async throws -> Collector_V1_ImportInstancesResponse {
            var request = Collector_V1_ImportInstancesRequest()
            request.json = json
            return try await new.withClient { client in
                try await Collector_V1_Admin.Client(wrapping: client).importInstances(request, metadata: bearer(new.adminToken))
            }
        }
        // One bad entry among good ones: nothing is imported.
        let broken = json.replacingOccurrences(of: "https://b.example.org", with: "ftp://b.example.org")
        let refusal = await #expect(throws: RPCError.self) { try await importing(broken) }
        #expect(refusal?.code == .invalidArgument)
        #expect(refusal?.message.contains("instances[") == true)
        #expect(try await new.store.instances(InstanceQuery()).total == 0)
        await #expect(throws: RPCError.self) { try await importing("[1, 2]") }

        let imported = try await importing(json)
        #expect(imported.created == 2 && imported.skipped == 0)
        // Times survive to the millisecond, which is what the backup writes
        // (within one: a binary double seldom holds a millisecond exactly).
        let after = try await new.store.instances(InstanceQuery()).instances
        #expect(after.map(\.uuid) == before.map(\.uuid))
        for (imported, original) in zip(after, before) {
            #expect(abs(imported.created.timeIntervalSince(original.created)) < 0.002)
            #expect(abs(imported.updated.timeIntervalSince(original.updated)) < 0.002)
        }
        for (imported, original) in zip(after, before) {
            var imported = imported
            imported.created = original.created
            imported.updated = original.updated
            #expect(imported == original)
        }
        let again = try await importing(json)
        #expect(again.created == 0 && again.skipped == 2)

        // Deployed instances go on with their uuids against the new collector.
        let summary = try await http("GET", "http://127.0.0.1:\(new.addresses.httpPort)/api/instance/\(uuids[0])")
        #expect(summary.status == 200)
        await new.stop()
    }
}
