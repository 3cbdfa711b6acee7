import CoreMetrics
import Prometheus
import Synchronization

/// A process's own metrics, in the Prometheus text format: swift-metrics
/// types made by a Prometheus factory owned here rather than bootstrapped
/// globally, so several collectors (or an agent beside a collector in one
/// test process) keep separate counts.
public final class SelfMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let readings = Mutex<[Reading]>([])

    /// A value another part of the daemon already keeps, read at scrape time.
    private struct Reading {
        let gauge: CoreMetrics.Gauge
        let read: @Sendable () async -> Int
    }

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // From a fast loopback RPC to a slow crawl or a large commit.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
            .seconds(10), .seconds(30),
        ]
        // Push→ack latency is judged against 5 ms: buckets every half to
        // one millisecond up to 10 ms, so a p99 can be read from the scrape.
        factory.durationHistogramBuckets["collector_batch_ack_seconds"] = [
            .microseconds(250), .microseconds(500), .microseconds(750), .milliseconds(1), .milliseconds(1.5), .milliseconds(2),
            .milliseconds(2.5), .milliseconds(3), .milliseconds(4), .milliseconds(5), .milliseconds(6), .milliseconds(7.5),
            .milliseconds(10), .milliseconds(15), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
    }

    public func counter(_ name: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: name, dimensions: dimensions, factory: factory)
    }

    public func gauge(_ name: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Gauge {
        CoreMetrics.Gauge(label: name, dimensions: dimensions, factory: factory)
    }

    public func timer(_ name: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Timer {
        CoreMetrics.Timer(label: name, dimensions: dimensions, factory: factory)
    }

    /// A gauge set from `read` at each scrape: for what the spool, the
    /// uplink or the store already count, so it is never counted twice.
    public func reading(_ name: String, _ read: @escaping @Sendable () async -> Int) {
        let reading = Reading(gauge: gauge(name), read: read)
        readings.withLock { $0.append(reading) }
    }

    /// The exposition text for `GET /metrics`, readings taken first.
    public func text() async -> String {
        for reading in readings.withLock({ $0 }) { reading.gauge.record(await reading.read()) }
        return registry.emitToString()
    }
}
