import CollectorModel
import CollectorStore
import Foundation

/// What the console reads and does, handed in by the server: the same store
/// calls, reporting and actions the gRPC services and the legacy routes
/// use, so no figure on a page has an implementation of its own.
public struct ConsoleBackend: Sendable {
    public var store: any Store
    public var reporting: PoolReporting
    /// The crawled-field settings as last (re)loaded.
    public var fieldSettings: @Sendable () -> CrawledFieldSettings
    /// Agents with a push stream open now, and their spools.
    public var agentPresence: @Sendable () async -> AgentPresence
    public var actions: any ConsoleActions

    public init(store: any Store, reporting: PoolReporting, fieldSettings: @escaping @Sendable () -> CrawledFieldSettings,
                agentPresence: @escaping @Sendable () async -> AgentPresence, actions: any ConsoleActions) {
        self.store = store
        self.reporting = reporting
        self.fieldSettings = fieldSettings
        self.agentPresence = agentPresence
        self.actions = actions
    }
}

/// The admin actions whose rules live in the server (crawling, telling
/// agents their pools changed): the Admin RPCs call the same ones.
public protocol ConsoleActions: Sendable {
    /// Crawls one instance now and stores the outcome.
    func crawlNow(uuid: UUID) async throws
    func createPool(_ pool: Pool, allowUnregisteredAgent: Bool) async throws -> Pool
    func updatePool(name: String, _ change: PoolChange) async throws -> Pool
    func deletePool(name: String) async throws
    func addComputers(pool: String, _ entries: [String]) async throws -> Pool
    func removeComputers(pool: String, _ entries: [String]) async throws -> Pool
}

/// An action refused for a reason to show the user (not found, a rule).
public struct ConsoleActionError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
