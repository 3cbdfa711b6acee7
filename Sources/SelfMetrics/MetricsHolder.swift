/// The shape of both daemons' metrics (`AgentMetrics`, `CollectorMetrics`):
/// a `SelfMetrics` of their own; handles, made once, for what they count as
/// it happens (`acksSent.increment()`); methods for what carries labels
/// (`crawled(result)`); and `reading`s, registered where the daemon is
/// assembled, for what other parts already keep. `GET /metrics` is `text()`.
public protocol MetricsHolder: AnyObject, Sendable {
    var base: SelfMetrics { get }
}

extension MetricsHolder {
    /// The exposition text for `GET /metrics`.
    public func text() async -> String { await base.text() }
}
