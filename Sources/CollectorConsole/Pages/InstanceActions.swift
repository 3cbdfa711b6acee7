import CollectorModel
import CollectorStore
import Foundation
import Hummingbird
import Logging

/// What admins do to an instance from its page: edit what it says about
/// itself (the legacy PATCH's rules), enable or disable crawling (as
/// SetInstanceEnabled), crawl it now (as Crawl), delete it (as
/// DeleteInstance). Each answers with a redirect back (post, redirect, get).
struct InstanceActions<Context: ConsoleRequestContext>: Sendable {
    let backend: ConsoleBackend
    let logger: Logger

    struct EditForm: ConsoleForm {
        var csrf: String
        var url: String
        var contact: String
        var email: String
        var organization: String
    }

    static func notice(_ done: String) -> String? {
        switch done {
        case "saved": "Saved."
        case "enabled": "Crawling enabled."
        case "disabled": "Crawling disabled."
        case "crawled": "Crawled: the outcome is at the top of the crawl history."
        case "deleted": "Instance deleted."
        default: nil
        }
    }

    func register(on group: RouterGroup<Context>) {
        group.post("instances/:uuid/edit") { request, context in
            try await act(request, context) { uuid, signedIn in
                let form = try await request.consoleForm(EditForm.self, signedIn: signedIn)
                let patch = InstancePatch(url: form.url, contact: form.contact, email: form.email, organization: form.organization)
                guard try await backend.store.patchInstance(uuid: uuid, patch, at: Date()) != nil else { throw Self.missing }
                return "saved"
            }
        }
        for enabled in [true, false] {
            group.post(RouterPath(stringLiteral: "instances/:uuid/\(enabled ? "enable" : "disable")")) { request, context in
                try await act(request, context) { uuid, signedIn in
                    _ = try await request.consoleForm(CSRFField.self, signedIn: signedIn)
                    guard try await backend.store.patchInstance(uuid: uuid, InstancePatch(enabled: enabled), at: Date()) != nil else { throw Self.missing }
                    return enabled ? "enabled" : "disabled"
                }
            }
        }
        group.post("instances/:uuid/crawl") { request, context in
            try await act(request, context) { uuid, signedIn in
                _ = try await request.consoleForm(CSRFField.self, signedIn: signedIn)
                try await backend.actions.crawlNow(uuid: uuid)
                return "crawled"
            }
        }
        group.post("instances/:uuid/delete") { request, context in
            let signedIn = try context.requireAdmin()
            let instance = try await InstancePage<Context>.instance(context.parameters.get("uuid"), store: backend.store)
            _ = try await request.consoleForm(CSRFField.self, signedIn: signedIn)
            guard try await backend.store.deleteInstance(uuid: instance.uuid) else { throw Self.missing }
            logger.info("instance deleted from the console", metadata: ["uuid": "\(instance.uuid.uuidString.lowercased())", "user": "\(signedIn.user.name)"])
            return Response(status: .seeOther, headers: [.location: "/console/instances?done=deleted"])
        }
    }

    static var missing: ConsoleRefusal { ConsoleRefusal(.notFound, "No such instance.") }

    /// Admins only, a known instance, then the action; back to the page.
    func act(_ request: Request, _ context: Context, _ action: (UUID, SignedIn) async throws -> String) async throws -> Response {
        let signedIn = try context.requireAdmin()
        let instance = try await InstancePage<Context>.instance(context.parameters.get("uuid"), store: backend.store)
        let done = try await action(instance.uuid, signedIn)
        let uuid = instance.uuid.uuidString.lowercased()
        logger.info("instance changed from the console", metadata: ["uuid": "\(uuid)", "action": "\(done)", "user": "\(signedIn.user.name)"])
        return Response(status: .seeOther, headers: [.location: "/console/instances/\(uuid)?done=\(done)"])
    }
}
