import Logging

/// Turns a flood of drops into a few warnings. When the collector is away
/// and the spool is full, every append drops a batch; a warning each time
/// would bury the log. So: a warning at once when drops start, then at most
/// one per `interval`, each counting the drops since the previous one.
struct DropReporter {
    var interval: Duration = .seconds(60)
    private var unreported = 0
    private var lastReport: ContinuousClock.Instant?

    /// Call after every append; `dropped` is how many batches it dropped.
    /// Drops held back by the interval go out with a later call once it has
    /// passed, even one that dropped nothing.
    mutating func note(dropped: Int, total: UInt64, logger: Logger) {
        unreported += dropped
        guard unreported > 0 else { return }
        let now = ContinuousClock.now
        if let lastReport, now - lastReport < interval { return }
        logger.warning("spool full: dropped \(unreported) oldest batches (total dropped \(total))")
        unreported = 0
        lastReport = now
    }
}
