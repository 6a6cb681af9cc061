import CoreMetrics
import Foundation
import Metrics
import Prometheus
import QuotewireIndex
import ServiceSupport
import Synchronization

/// The service's metrics, recorded through swift-metrics into its own Prometheus registry
/// (so several apps in one process, as in tests, never share or re-bootstrap a global).
///
/// - `quotewire_query_requests_total{method,route,status}`
/// - `quotewire_query_request_duration_seconds{method,route}` (histogram)
/// - `quotewire_index_rows{table}`, `quotewire_index_shards` and `quotewire_index_size_bytes`
///   (refreshed on each scrape)
public final class QueryMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// A swift-metrics factory writing into ``registry``; the executable also bootstraps
    /// the global `MetricsSystem` with it.
    public let factory: PrometheusMetricsFactory
    private let counters = Mutex<[String: CoreMetrics.Counter]>([:])
    private let timers = Mutex<[String: CoreMetrics.Timer]>([:])

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5),
        ]
        self.factory = factory
    }

    /// Records one request.
    func record(method: String, route: String, status: Int, duration: Duration) {
        let counterKey = "\(method) \(route) \(status)"
        let counter = counters.withLock { cache in
            if let existing = cache[counterKey] { return existing }
            let made = CoreMetrics.Counter(
                label: "quotewire_query_requests_total",
                dimensions: [("method", method), ("route", route), ("status", String(status))], factory: factory)
            cache[counterKey] = made
            return made
        }
        counter.increment()
        let timerKey = "\(method) \(route)"
        let timer = timers.withLock { cache in
            if let existing = cache[timerKey] { return existing }
            let made = CoreMetrics.Timer(
                label: "quotewire_query_request_duration_seconds",
                dimensions: [("method", method), ("route", route)], preferredDisplayUnit: .seconds, factory: factory)
            cache[timerKey] = made
            return made
        }
        let (seconds, attoseconds) = duration.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Updates the index gauges from the shards.
    func refreshIndexGauges(_ reader: IndexReader) async {
        let shards = (try? reader.openPartitions().count) ?? 0
        CoreMetrics.Gauge(label: "quotewire_index_shards", dimensions: [], factory: factory).record(shards)
        let usage = ShardDiskUsage(shardFiles: Array(((try? reader.folder.shardFiles()) ?? [:]).values))
        CoreMetrics.Gauge(label: "quotewire_index_size_bytes", dimensions: [], factory: factory).record(usage.bytes)
        guard let counts = try? await reader.counts() else { return }
        for (table, value) in [("articles", counts.articles), ("quotations", counts.quotations),
                               ("speakers", counts.speakers), ("market_quotes", counts.marketQuotes)] {
            CoreMetrics.Gauge(label: "quotewire_index_rows", dimensions: [("table", table)], factory: factory).record(value)
        }
    }

    /// The Prometheus text exposition.
    func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}
