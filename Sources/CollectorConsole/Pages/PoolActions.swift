import CollectorModel
import CollectorStore
import Foundation
import Hummingbird
import Logging

/// What admins do to pools from the console: create, edit, delete, add and
/// remove computers, through the same actions as the Admin RPCs (which
/// validate, expand address ranges and tell the agents at once).
struct PoolActions<Context: ConsoleRequestContext>: Sendable {
    let backend: ConsoleBackend
    let logger: Logger

    struct CreateForm: ConsoleForm {
        var csrf: String
        var name: String
        var room: String
        var agent: String
        var watts: String
        var standby_watts: String?
        var interval: String?
        var computers: String?
        var allow_unregistered: String?
    }

    struct EditForm: ConsoleForm {
        var csrf: String
        var room: String?
        var watts: String?
        var standby_watts: String?
        var agent: String?
    }

    struct ComputersForm: ConsoleForm {
        var csrf: String
        var computers: String
        var action: String
    }

    static func notice(_ done: String) -> String? {
        switch done {
        case "created": "Pool created."
        case "saved": "Pool saved."
        case "computers": "Computers changed."
        case "deleted": "Pool deleted."
        default: nil
        }
    }

    func register(on group: RouterGroup<Context>) {
        group.post("pools") { request, context in
            let signedIn = try context.requireAdmin()
            let form = try await request.consoleForm(CreateForm.self, signedIn: signedIn)
            let pool = Pool(name: form.name, room: form.room, watts: try Self.number(form.watts, field: "watts") ?? 0,
                            standbyWatts: try Self.number(form.standby_watts, field: "standby_watts"), agentID: form.agent,
                            interval: .seconds(Int(form.interval ?? "") ?? 300), computers: Self.lines(form.computers))
            let created = try await backend.actions.createPool(pool, allowUnregisteredAgent: form.allow_unregistered == "1")
            logger.info("pool created from the console", metadata: ["pool": "\(created.name)", "user": "\(signedIn.user.name)"])
            return Self.back(to: created.name, done: "created")
        }
        group.post("pools/:name/edit") { request, context in
            let signedIn = try context.requireAdmin()
            let pool = try await PoolPage<Context>.pool(context.parameters.get("name"), store: backend.store)
            let form = try await request.consoleForm(EditForm.self, signedIn: signedIn)
            var change = PoolChange()
            change.room = form.room.flatMap { $0.isEmpty ? nil : $0 }
            change.watts = try Self.number(form.watts, field: "watts")
            change.standbyWatts = try Self.number(form.standby_watts, field: "standby_watts")
            change.agentID = form.agent.flatMap { $0.isEmpty || $0 == pool.agentID ? nil : $0 }
            _ = try await backend.actions.updatePool(name: pool.name, change)
            return Self.back(to: pool.name, done: "saved")
        }
        group.post("pools/:name/computers") { request, context in
            let signedIn = try context.requireAdmin()
            let pool = try await PoolPage<Context>.pool(context.parameters.get("name"), store: backend.store)
            let form = try await request.consoleForm(ComputersForm.self, signedIn: signedIn)
            let entries = Self.lines(form.computers)
            switch form.action {
            case "add": _ = try await backend.actions.addComputers(pool: pool.name, entries)
            case "remove": _ = try await backend.actions.removeComputers(pool: pool.name, entries)
            default: throw ValidationError(field: "action", "'\(form.action)' is not add or remove")
            }
            return Self.back(to: pool.name, done: "computers")
        }
        group.post("pools/:name/delete") { request, context in
            let signedIn = try context.requireAdmin()
            let pool = try await PoolPage<Context>.pool(context.parameters.get("name"), store: backend.store)
            _ = try await request.consoleForm(CSRFField.self, signedIn: signedIn)
            try await backend.actions.deletePool(name: pool.name)
            logger.info("pool deleted from the console", metadata: ["pool": "\(pool.name)", "user": "\(signedIn.user.name)"])
            return Response(status: .seeOther, headers: [.location: "/console/pools?done=deleted"])
        }
    }

    static func back(to pool: String, done: String) -> Response {
        let name = pool.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? pool
        return Response(status: .seeOther, headers: [.location: "/console/pools/\(name)?done=\(done)"])
    }

    static func lines(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func number(_ text: String?, field: String) throws(ValidationError) -> Double? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Double(text), value.isFinite, value >= 0 else { throw ValidationError(field: field, "'\(text)' is not a number of watts") }
        return value
    }
}
