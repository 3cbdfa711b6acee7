#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One agent batch as the collector stores it: everything in it is committed
/// together with the agent's new high-water mark, or nothing is.
public struct IngestBatch: Sendable, Equatable {
    public var agentID: String
    public var sequence: UInt64
    /// The highest sequence the agent dropped from its full spool, or 0.
    public var droppedThrough: UInt64
    public var hostSamples: [HostSample]
    public var points: [SeriesPoint]
    public var events: [Event]
    /// Crawls of the instance the agent sits beside.
    public var crawlSamples: [CrawlSample]
    /// Sweep results of the pools the agent sweeps.
    public var reachability: [Reachability]
    /// Records the collector refused, each with the reason; the rest of the
    /// batch is stored and the ack names these, so one bad record never
    /// takes the good ones beside it down.
    public var refused: [ValidationError]
    /// Points already encoded by the store (`IngestStore.prepare`), before
    /// the transaction: the `points` and the events without a document that
    /// were here. The writer then only stores bytes.
    public var encoded: [EncodedSeries] = []

    public init(
        agentID: String, sequence: UInt64, droppedThrough: UInt64 = 0,
        hostSamples: [HostSample] = [], points: [SeriesPoint] = [], events: [Event] = [], crawlSamples: [CrawlSample] = [],
        reachability: [Reachability] = [], refused: [ValidationError] = []
    ) {
        self.agentID = agentID
        self.sequence = sequence
        self.droppedThrough = droppedThrough
        self.hostSamples = hostSamples
        self.points = points
        self.events = events
        self.crawlSamples = crawlSamples
        self.reachability = reachability
        self.refused = refused
    }
}

extension IngestBatch {
    /// Records of every kind in the batch.
    public var itemCount: Int {
        hostSamples.count + points.count + events.count + crawlSamples.count + reachability.count + encoded.reduce(0) { $0 + $1.count }
    }
}

/// What the store did with a batch.
public enum BatchOutcome: Sendable, Equatable {
    case stored
    /// At or below the high-water mark: acknowledged, not stored again.
    case duplicate
    /// Beyond the high-water mark with a gap the agent did not declare dropped.
    case fromTheFuture(expected: UInt64)
}

/// One write the group committer stores: everything written in one group
/// commit shares its transaction and its fsync.
public enum IngestWrite: Sendable, Equatable {
    /// An agent's batch, stored exactly once by its sequence.
    case batch(IngestBatch)
    /// Events from the legacy routes or `Ingest.LogEvents`. With
    /// `keepingIDs`, every event keeps its id (so a retry changes nothing),
    /// not only those that carry a document.
    case events([Event], keepingIDs: Bool)
    /// The collector's own crawls of instances without an agent.
    case crawls([CrawlSample])
    /// Points written through the InfluxDB API.
    case points([SeriesPoint])
    /// The same, encoded by the store ahead of the transaction.
    case encodedPoints([EncodedSeries])
    /// String fields written through the InfluxDB API, committed beside
    /// the request's points.
    case strings([StringPoint])
}

/// One series' points, encoded for the store ahead of its transaction.
public struct EncodedSeries: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var labels: SeriesLabels?
    public var count: Int
    /// In the store's own encoding.
    public var bytes: [UInt8]

    public init(namespace: String, name: String, labels: SeriesLabels? = nil, count: Int, bytes: [UInt8]) {
        self.namespace = namespace
        self.name = name
        self.labels = labels
        self.count = count
        self.bytes = bytes
    }
}
