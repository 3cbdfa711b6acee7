import CollectorModel
import Foundation

/// Tokens: stored hashed, looked up by id, revoked, never deleted (an audit
/// trail of who could get in).
public protocol TokenStore: Sendable {
    func insertToken(_ record: TokenRecord) async throws
    func token(id: String) async throws -> TokenRecord?
    func tokens() async throws -> [TokenRecord]
    /// Revokes by id or by name; `nil` when neither matches.
    func revokeToken(idOrName: String, at time: Date) async throws -> TokenRecord?
    func noteTokenUsed(id: String, at time: Date) async throws
    func insertOAuthClient(_ record: OAuthClientRecord) async throws
    func oauthClient(id: String) async throws -> OAuthClientRecord?
}

/// Agents, and the instances they sit beside.
public protocol AgentStore: Sendable {
    /// Creates or refreshes the agent and, when it describes one, its
    /// instance. Idempotent.
    func register(_ registration: AgentRegistration, at time: Date) async throws -> AgentRecord
    func agent(id: String) async throws -> AgentRecord?
    func agents(site: String?) async throws -> [AgentRecord]
}

/// Instances: registered by agents or over the legacy HTTP API, crawled,
/// located, listed.
public protocol InstanceStore: Sendable {
    func instance(uuid: UUID) async throws -> Instance?
    func instances(_ query: InstanceQuery) async throws -> InstancePage
    /// An instance without an agent (the legacy registration), under a new uuid.
    func registerInstance(_ info: InstanceInfo, country: String, at time: Date) async throws -> Instance
    /// Inserts instances under their own uuids, in one transaction; a uuid
    /// that exists is left as it is. Returns how many were created.
    func importInstances(_ instances: [Instance]) async throws -> Int
    /// Replaces what the instance says about itself; `nil` for an unknown uuid.
    func updateInstance(uuid: UUID, info: InstanceInfo, at time: Date) async throws -> Instance?
    /// Applies the present keys, validated against the stored instance
    /// (throws `ValidationError`, changing nothing); `nil` for an unknown uuid.
    func patchInstance(uuid: UUID, _ patch: InstancePatch, at time: Date) async throws -> Instance?
    func setInstanceCountry(uuid: UUID, country: String, at time: Date) async throws
    /// Records outcomes (and, for successful crawls, documents and their
    /// numbers as series points) in one transaction.
    func recordCrawls(_ samples: [CrawlSample]) async throws
    /// Newest first.
    func crawlHistory(uuid: UUID, limit: Int) async throws -> [CrawlOutcome]
    /// One instance by uuid, or every enabled instance without an agent whose
    /// last crawl is older than `lastCrawledBefore` (all of them when nil).
    func crawlTargets(uuid: UUID?, lastCrawledBefore: Date?) async throws -> [CrawlTarget]
    /// Instances whose country was never looked up, or not since the date.
    func countryTargets(checkedBefore: Date) async throws -> [CrawlTarget]
    func statisticsInputs() async throws -> [InstanceStatistics.Input]
    /// Removes an instance without an agent and its crawl history; false for
    /// an unknown uuid. An agent's instance is `StoreError.conflict`: it would
    /// come back at the agent's next registration.
    func deleteInstance(uuid: UUID) async throws -> Bool
}

/// Acknowledged ingest: a batch and the agent's high-water mark are committed
/// in one transaction, so a batch is stored exactly once however often it
/// arrives.
public protocol IngestStore: Sendable {
    /// Commits the writes, in order, in one transaction and returns what
    /// happened to each (events and crawls are always stored). Returns
    /// only after the commit is durable.
    func commit(_ writes: [IngestWrite], at time: Date) async throws -> [BatchOutcome]
    func prepare(_ writes: [IngestWrite]) -> [IngestWrite]
    func hostSamples(agentID: String, limit: Int) async throws -> [HostSample]
}

extension IngestStore {
    /// Does what a write needs before its transaction (encoding its points),
    /// on the caller's task, so the writer only stores. A store without
    /// such work returns the writes as they are.
    public func prepare(_ writes: [IngestWrite]) -> [IngestWrite] { writes }

    public func commit(_ batches: [IngestBatch], at time: Date) async throws -> [BatchOutcome] {
        try await commit(batches.map(IngestWrite.batch), at: time)
    }
}

/// Events: stored as themselves (for the legacy GET) and as series points.
public protocol EventStore: Sendable {
    /// Stores events in one transaction, keeping every id: an id already
    /// stored is kept as it was (a retried request changes nothing).
    /// Returns only after commit.
    func insertEvents(_ events: [Event], at time: Date) async throws
    /// The event with its document; events stored as points only (no
    /// fields, no uid, no id to keep) are not found.
    func event(id: String) async throws -> Event?
    /// The events of one series that carry a document.
    func events(namespace: String, name: String) async throws -> [Event]
}

/// Series points and their rollups: what the aggregation engine reads.
public protocol SeriesStore: Sendable {
    func points(namespace: String, name: String, from: Date, to: Date) async throws -> [SeriesPoint]
    /// Aggregates one series, reading rollups where they align with the
    /// buckets and raw points elsewhere; equal to aggregating raw points.
    func aggregate(_ query: AggregationQuery) async throws -> [AggregateBucket]
    /// Deletes raw points and rollups older than their retention, in small
    /// transactions; returns how many chunks and rows went.
    func expire(_ cutoffs: Retention.Cutoffs, chunk: Int) async throws -> Int
    /// One compaction round: up to `budget` logged points into chunks,
    /// rollups and document blocks, in one transaction (kept open `holding`
    /// longer, for fault tests).
    func compact(budget: Int, holding: Duration) async throws -> CompactionRound
    /// Points acknowledged and not yet compacted.
    func ingestBacklog() async throws -> Int
    /// Moves one step of a row-store database into chunks; false when done.
    func upgradeStep() async throws -> Bool
    /// Gives up to `pages` free pages back to the file system; how many went.
    func reclaimSpace(pages: Int) async throws -> Int
    /// Moves committed pages into the database file without holding up
    /// writers.
    func checkpoint() async throws

    /// For the InfluxDB API: the namespaces (databases) that hold series.
    func namespaces() async throws -> [String]
    /// Every series of a namespace, with its measurement, field and tags.
    func series(namespace: String) async throws -> [StoredSeries]
    /// One series' raw points in [from, to) (nanoseconds), by time.
    func points(seriesID: Int64, from: Int64, to: Int64) async throws -> [(time: Int64, value: Double)]
    /// One string series' values in [from, to) (nanoseconds), by time.
    func strings(seriesID: Int64, from: Int64, to: Int64) async throws -> [(time: Int64, value: String)]
    /// The series merged into buckets of `interval` ns aligned to `offset`
    /// from the epoch, over [from, to).
    func buckets(seriesIDs: [Int64], from: Int64, to: Int64, interval: Int64, offset: Int64) async throws -> [Int64: Accumulator]
}

extension SeriesStore {
    public func compact(budget: Int) async throws -> CompactionRound {
        try await compact(budget: budget, holding: .zero)
    }
}

/// Everything the collector keeps. SQLite is the default backend; the SQL is
/// kept portable so a PostgreSQL backend can stand behind the same protocol.
/// Lab pools, their computers, and what the sweeps saw.
public protocol PoolStore: Sendable {
    /// Validates and stores a new pool (its computers already expanded);
    /// a taken name is `StoreError.conflict`.
    func createPool(_ pool: Pool) async throws -> Pool
    /// Applies the change, validated as a whole; `nil` for an unknown name.
    func updatePool(name: String, _ change: PoolChange) async throws -> Pool?
    func deletePool(name: String) async throws -> Bool
    func addComputers(pool name: String, _ addresses: [String]) async throws -> Pool?
    func removeComputers(pool name: String, _ addresses: [String]) async throws -> Pool?
    func pools() async throws -> [Pool]
    func pools(agentID: String) async throws -> [Pool]
    func pool(name: String) async throws -> Pool?
    func computerStatus(poolID: Int64) async throws -> [ComputerStatus]
    /// Per pool id, its computers whose latest sweep found them up: one
    /// query for the pools list, not one per pool.
    func computersUp() async throws -> [Int64: Int]
    /// Sweep results of a pool in [from, to), by computer and time.
    func reachability(poolID: Int64, from: Date, to: Date) async throws -> [Reachability]
    /// Each computer's last result before `lastBefore` and first at or
    /// after `firstFrom`: whether it was on as a window opened and closed.
    func reachability(poolID: Int64, lastBefore: Date, firstFrom: Date) async throws -> [Reachability]
}

/// Which series exist, by name: for listing them and for suggesting one
/// when a query names a series that does not exist.
public protocol SeriesListStore: Sendable {
    func seriesNames(filter: String, namespace: String?, limit: Int) async throws -> SeriesNamePage
}

/// The web console's users and their server-side sessions.
public protocol UserStore: Sendable {
    /// A taken name is `StoreError.conflict`.
    func createUser(_ user: UserRecord) async throws
    func users() async throws -> [UserRecord]
    func user(name: String) async throws -> UserRecord?
    /// Replaces the hash and ends the user's sessions; false for an unknown name.
    func setPassword(name: String, hash: String, at time: Date) async throws -> Bool
    /// Removes the user and every session of theirs; false for an unknown name.
    func deleteUser(name: String) async throws -> Bool
    func insertSession(_ session: SessionRecord) async throws
    /// The session and its user, while it has not expired at `time`.
    func session(idHash: String, at time: Date) async throws -> (SessionRecord, UserRecord)?
    func deleteSession(idHash: String) async throws
    /// Removes sessions that expired before `time`; how many went.
    func deleteExpiredSessions(before time: Date) async throws -> Int
}

public protocol Store: TokenStore, AgentStore, InstanceStore, IngestStore, SeriesStore, SeriesListStore, EventStore, PoolStore, UserStore,
                       LeaseStore {
    /// True when a write can be committed now (readiness).
    func isWritable() async -> Bool
    /// Writes a consistent copy of everything committed so far to `path`,
    /// without stopping writers.
    func backup(to path: String) async throws
}

public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownAgent(String)
    case instanceOwnedElsewhere(UUID)
    case agentOwnedElsewhere(String)
    case unavailable(String)
    /// The disk is full: retry once space returns.
    case full
    /// The disk has less free than the configured floor: retry once space returns.
    case lowOnSpace(available: Int64, minimum: Int64)
    /// A name that must be unique is taken.
    case conflict(String)

    public var description: String {
        switch self {
        case .unknownAgent(let id): "unknown agent '\(id)': register first"
        case .instanceOwnedElsewhere(let uuid): "instance \(uuid) belongs to another site"
        case .agentOwnedElsewhere(let id): "agent '\(id)' belongs to another site"
        case .unavailable(let reason): "store unavailable: \(reason)"
        case .full: "the collector's disk is full"
        case .lowOnSpace(let available, let minimum):
            "the collector's disk has \(available) bytes free, under the \(minimum) bytes kept free (limits.min_free_disk); nothing was stored"
        case .conflict(let what): what
        }
    }
}
