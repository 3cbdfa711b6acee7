import CollectorModel
import CollectorProto
import CollectorWire
import Foundation
import GRPCCore

extension AdminService {
    public func setInstanceEnabled(request: Collector_V1_SetInstanceEnabledRequest, context: ServerContext) async throws -> Collector_V1_Instance {
        let uuid = try Self.uuid(request.uuid)
        guard let instance = try await storeCall({ try await store.patchInstance(uuid: uuid, InstancePatch(enabled: request.enabled), at: Date()) }) else {
            throw RPCError(code: .notFound, message: "no instance \(uuid.uuidString.lowercased())")
        }
        logger.info("instance \(request.enabled ? "enabled" : "disabled")", metadata: ["uuid": "\(instance.uuid.uuidString.lowercased())"])
        return Collector_V1_Instance(instance)
    }

    public func crawl(request: Collector_V1_CrawlRequest, response: RPCWriter<Collector_V1_CrawlProgress>, context: ServerContext) async throws {
        var uuid: UUID?
        if !request.uuid.isEmpty {
            uuid = try Self.uuid(request.uuid)
            guard try await storeCall({ try await store.instance(uuid: uuid!) }) != nil else {
                throw RPCError(code: .notFound, message: "no instance \(request.uuid.lowercased())")
            }
        }
        let crawled = try await storeCall {
            try await crawling.crawl(uuid: uuid, dueOnly: false) { progress in
                var message = Collector_V1_CrawlProgress()
                message.done = UInt32(progress.done)
                message.total = UInt32(progress.total)
                message.instanceUuid = progress.target.uuid.uuidString.lowercased()
                message.url = progress.target.url
                message.outcome = Collector_V1_CrawlOutcome(progress.sample.outcome)
                // A client that went away stops reading; the crawl goes on
                // and its outcomes are stored all the same.
                try? await response.write(message)
            }
        }
        logger.info("crawl on demand", metadata: ["instances": "\(crawled)", "uuid": "\(request.uuid)"])
    }

    static func uuid(_ text: String) throws -> UUID {
        guard let uuid = UUID(uuidString: text) else { throw RPCError(code: .invalidArgument, message: "uuid: '\(text)' is not a uuid") }
        return uuid
    }
}

extension AdminService {
    public func exportInstances(request: Collector_V1_ExportInstancesRequest, context: ServerContext) async throws -> Collector_V1_ExportInstancesResponse {
        var instances: [Instance] = []
        while true {
            let page = try await storeCall { try await store.instances(InstanceQuery(limit: 1000, offset: instances.count)) }
            instances += page.instances
            if page.instances.isEmpty || instances.count >= page.total { break }
        }
        var response = Collector_V1_ExportInstancesResponse()
        response.json = String(decoding: try InstanceBackup.encoder().encode(InstanceBackup(instances: instances)), as: UTF8.self)
        return response
    }

    /// Every instance is checked before any is stored: a bad backup changes nothing.
    public func importInstances(request: Collector_V1_ImportInstancesRequest, context: ServerContext) async throws -> Collector_V1_ImportInstancesResponse {
        let instances: [Instance]
        do {
            instances = try InstanceBackup.decode(request.json)
        } catch {
            throw RPCError(error)
        }
        let created = try await storeCall { try await store.importInstances(instances) }
        logger.info("instances imported", metadata: ["created": "\(created)", "skipped": "\(instances.count - created)"])
        var response = Collector_V1_ImportInstancesResponse()
        response.created = UInt32(created)
        response.skipped = UInt32(instances.count - created)
        return response
    }
}
