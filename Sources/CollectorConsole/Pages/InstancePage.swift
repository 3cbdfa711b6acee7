import CollectorModel
import CollectorStore
import Foundation
import Hummingbird

/// One instance: what `collectorctl instances show` prints (main fields,
/// crawled fields through the field settings, crawl history), its country
/// on a small map, its agent with the latest host stats, and for admins
/// the forms that change it.
struct InstancePage<Context: ConsoleRequestContext>: Sendable {
    /// As many outcomes as GetInstance returns.
    static var historyShown: Int { 20 }

    let backend: ConsoleBackend
    let renderer: PageRenderer

    struct Field {
        var name: String
        var label: String
        var value: String
    }

    func register(on group: RouterGroup<Context>) {
        group.get("instances/:uuid") { request, context in try await show(request, context: context) }
    }

    func show(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let instance = try await Self.instance(context.parameters.get("uuid"), store: backend.store)
        let history = try await backend.store.crawlHistory(uuid: instance.uuid, limit: Self.historyShown)
        var crawled: [Field] = []
        if let text = instance.crawledJSON, let document = try? JSONValue.parseObject(Array(text.utf8)) {
            crawled = backend.fieldSettings().present(document).map { Field(name: $0.name, label: $0.label, value: $0.value.displayText) }
        }
        var agent: [String: Any]?
        if let agentID = instance.agentID, let record = try await backend.store.agent(id: agentID) {
            let connected = await backend.agentPresence().connected.contains(agentID)
            agent = ["id": record.id, "site": record.site, "hostname": record.hostname, "version": record.agentVersion,
                     "lastSeen": TimeText.show(record.lastSeen), "connected": connected ? "yes" : "no",
                     "stats": HostStatsText.rows(record.latestHostSample)]
        }
        let uuid = instance.uuid.uuidString.lowercased()
        let main: [Field] = [
            ("uuid", "UUID", uuid), ("url", "URL", instance.info.url), ("contact", "Contact", instance.info.contact),
            ("email", "Email", instance.info.email), ("organization", "Organization", instance.info.organization),
            ("country", "Country", instance.country), ("enabled", "Enabled", instance.enabled ? "yes" : "no"),
            ("created", "Registered", TimeText.show(instance.created)), ("updated", "Updated", TimeText.show(instance.updated)),
            ("site", "Site", instance.site ?? "-"),
        ].map { Field(name: $0.0, label: $0.1, value: $0.2) }
        let model: [String: Any] = [
            "main": main, "crawled": crawled,
            "map": renderer.fragment("world-map", WorldMap.locator(id: "instance-map", country: instance.country)),
            "history": history.map { ["time": TimeText.show($0.time), "result": $0.result, "status": $0.httpStatus == 0 ? "-" : String($0.httpStatus),
                                      "detail": $0.detail] },
            "agent": templateValue(agent),
            "admin": signedIn.isAdmin ? [
                "uuid": uuid, "csrf": signedIn.session.csrfToken, "url": instance.info.url, "contact": instance.info.contact,
                "email": instance.info.email, "organization": instance.info.organization,
                "toggleAction": instance.enabled ? "disable" : "enable", "toggleLabel": instance.enabled ? "Disable crawling" : "Enable crawling",
            ] as [String: Any] : false,
        ]
        return renderer.page("instance", title: instance.info.url, section: .instances, signedIn: signedIn, model: model,
                             notice: InstanceActions<Context>.notice(request.parameter("done")))
    }

    static func instance(_ text: String?, store: any Store) async throws -> Instance {
        guard let text, let uuid = UUID(uuidString: text) else { throw ConsoleRefusal(.notFound, "No such instance.") }
        guard let instance = try await store.instance(uuid: uuid) else {
            throw ConsoleRefusal(.notFound, "No instance \(uuid.uuidString.lowercased()).")
        }
        return instance
    }
}
