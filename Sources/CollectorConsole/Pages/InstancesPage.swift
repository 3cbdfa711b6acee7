import CollectorModel
import CollectorStore
import Foundation
import Hummingbird
import Mustache

/// The instances list: the filters, sorting and paging of `collectorctl
/// instances list`, read through the same store query.
struct InstancesPage<Context: ConsoleRequestContext>: Sendable {
    static var pageSize: Int { 50 }

    let backend: ConsoleBackend
    let renderer: PageRenderer

    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Row: MustacheParent {
        var uuid: String
        var url: String
        var organization: String
        var contact: String
        var country: String
        var enabled: String
        var lastCrawl: String
        var created: String

        // Read by name, not through Mirror (see ChartView).
        func child(named name: String) -> Any? {
            switch name {
            case "uuid": uuid
            case "url": url
            case "organization": organization
            case "contact": contact
            case "country": country
            case "enabled": enabled
            case "lastCrawl": lastCrawl
            case "created": created
            default: nil
            }
        }
    }

    func register(on group: RouterGroup<Context>) {
        group.get("instances") { request, context in try await show(request, context: context) }
    }

    func show(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let filters = request.parameters("filter").filter { !$0.isEmpty }
        let page = max(1, Int(request.parameter("page")) ?? 1)
        let query = try Self.query(request, filters: filters, page: page)
        let result = try await backend.store.instances(query)
        let pages = max(1, (result.total + Self.pageSize - 1) / Self.pageSize)
        let first = result.instances.isEmpty ? 0 : query.offset + 1
        let model: [String: Any] = [
            "enabledChoices": [("", "any"), ("enabled", "enabled"), ("disabled", "disabled")].map {
                Choice(value: $0.0, label: $0.1, selected: request.parameter("enabled") == $0.0)
            },
            "crawlStates": ([("", "any")] + InstanceQuery.CrawlState.allCases.map { ($0.rawValue, $0.rawValue) }).map {
                Choice(value: $0.0, label: $0.1, selected: request.parameter("crawl_state") == $0.0)
            },
            "country": request.parameter("country"), "organization": request.parameter("organization"), "text": request.parameter("text"),
            // Two filter boxes, or one more than are in use.
            "filters": filters + Array(repeating: "", count: max(1, 2 - filters.count)),
            "sort": request.parameter("sort"), "descending": query.descending,
            "mainFields": InstanceQuery.MainField.allCases.map(\.rawValue),
            "total": result.total, "rangeText": "\(first)–\(query.offset + result.instances.count)",
            "rows": result.instances.map(Self.row), "page": page, "pages": pages,
            "previous": page > 1 ? Self.link(request, page: page - 1) as Any : false,
            "next": page < pages ? Self.link(request, page: page + 1) as Any : false,
        ]
        return renderer.page("instances", title: "Instances", section: .instances, signedIn: signedIn, model: model,
                             notice: InstanceActions<Context>.notice(request.parameter("done")))
    }

    /// The form's fields as the store's query, validated as the command
    /// line validates its flags.
    static func query(_ request: Request, filters: [String], page: Int) throws -> InstanceQuery {
        var query = InstanceQuery(limit: pageSize, offset: (page - 1) * pageSize)
        switch request.parameter("enabled") {
        case "": break
        case "enabled", "true": query.enabled = true
        case "disabled", "false": query.enabled = false
        case let other: throw ValidationError(field: "enabled", "'\(other)' is not enabled or disabled")
        }
        let country = request.parameter("country"), organization = request.parameter("organization"), text = request.parameter("text")
        query.country = country.isEmpty ? nil : country
        query.organization = organization.isEmpty ? nil : organization
        query.text = text.isEmpty ? nil : text
        let state = request.parameter("crawl_state")
        if !state.isEmpty {
            guard let crawlState = InstanceQuery.CrawlState(rawValue: state) else {
                throw ValidationError(field: "crawl_state", "'\(state)' is not one of \(InstanceQuery.CrawlState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.crawlState = crawlState
        }
        query.filters = try filters.map { text throws(ValidationError) in try InstanceQuery.FieldFilter.parse(text) }
        let sort = request.parameter("sort")
        if !sort.isEmpty { query.sortBy = try InstanceQuery.Field.parse(sort, field: "sort") }
        query.descending = request.parameter("desc") == "1"
        return query
    }

    static func row(_ instance: Instance) -> Row {
        Row(uuid: instance.uuid.uuidString.lowercased(), url: instance.info.url, organization: instance.info.organization,
            contact: instance.info.contact, country: instance.country, enabled: instance.enabled ? "yes" : "no",
            lastCrawl: instance.lastCrawl.map { "\($0.result), \(TimeText.show($0.time))" } ?? "never",
            created: TimeText.show(instance.created))
    }

    /// This page's URL with another page number.
    static func link(_ request: Request, page: Int) -> String {
        var components = URLComponents()
        components.path = "/console/instances"
        var items = request.queryPairs.map { URLQueryItem(name: $0.key, value: $0.value) }.filter { $0.name != "page" && $0.name != "done" }
        items.append(URLQueryItem(name: "page", value: String(page)))
        components.queryItems = items
        return components.string ?? "/console/instances"
    }
}
