import CollectorModel
import CollectorStore
import Foundation
import Hummingbird
import Logging

/// The web console under `/console/`: the login form and static assets
/// open to all, every page and action behind a session, every response
/// with the console's security headers.
public struct Console: Sendable {
    let backend: ConsoleBackend
    let sessions: ConsoleSessions
    let renderer = PageRenderer()
    let logger: Logger

    public init(backend: ConsoleBackend, settings: ConsoleSettings, logger: Logger) {
        self.backend = backend
        sessions = ConsoleSessions(store: backend.store, settings: settings, logger: logger)
        self.logger = logger
    }

    public func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        let open = router.group("/console").add(middleware: SecurityHeadersMiddleware<Context>(renderer: renderer, logger: logger))
        AssetRoutes<Context>().register(on: open)
        LoginRoutes<Context>(sessions: sessions, renderer: renderer).register(on: open)
        let pages = open.group().add(middleware: SessionMiddleware<Context>(sessions: sessions))
        pages.get("/") { _, _ in Response(status: .seeOther, headers: [.location: ConsoleSection.instances.path]) }
        LogoutRoute<Context>(sessions: sessions).register(on: pages)
        InstancesPage<Context>(backend: backend, renderer: renderer).register(on: pages)
        InstancePage<Context>(backend: backend, renderer: renderer).register(on: pages)
        InstanceActions<Context>(backend: backend, logger: logger).register(on: pages)
        StatisticsPage<Context>(backend: backend, renderer: renderer).register(on: pages)
        PoolsPage<Context>(backend: backend, renderer: renderer).register(on: pages)
        PoolPage<Context>(backend: backend, renderer: renderer).register(on: pages)
        PoolActions<Context>(backend: backend, logger: logger).register(on: pages)
        EventsPage<Context>(backend: backend, renderer: renderer).register(on: pages)
        AgentsPage<Context>(backend: backend, renderer: renderer).register(on: pages)
    }

    /// Whether `GET /` came from a browser (which gets the console) rather
    /// than the old event service's clients (which get their JSON ping):
    /// browsers ask for `text/html`; the clients send `application/json`,
    /// `*/*` or nothing.
    public static func wantsConsole(accept: String?) -> Bool {
        guard let accept = accept?.lowercased() else { return false }
        return accept.contains("text/html") || accept.contains("application/xhtml+xml")
    }
}
