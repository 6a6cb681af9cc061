import Prometheus
import QuotewireKafka
import Synchronization

/// The metrics every pipeline stage exposes on `/metrics`, in its own Prometheus registry.
///
/// - `quotewire_messages_consumed_total{topic}`, `…_produced_total{topic}`,
///   `…_failed_total{topic}`, `…_dead_lettered_total{topic}`
/// - `quotewire_consumer_lag{topic,partition}` (from librdkafka's statistics, assigned partitions only)
/// - `quotewire_batch_duration_seconds{stage}` and `quotewire_parse_duration_seconds` histograms
/// - from librdkafka's statistics: `quotewire_kafka_producer_queue_messages{client}`,
///   `quotewire_kafka_broker_up{client,broker}`, `quotewire_kafka_broker_rtt_seconds{client,broker}`
/// - the indexer's `quotewire_index_size_bytes` and `quotewire_index_shards`
public final class PipelineMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let stage: String
    /// The partitions whose lag gauge is set, so a revoked partition's gauge can be removed.
    private let lagPartitions = Mutex<Set<TopicPartition>>([])

    public init(stage: String, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.stage = stage
        self.registry = registry
    }

    public func consumed(_ topic: String, count: Int = 1) {
        counter("messages_consumed", "Records consumed", topic: topic).increment(by: Int64(count))
    }

    public func produced(_ topic: String, count: Int = 1) {
        counter("messages_produced", "Records produced and acknowledged", topic: topic).increment(by: Int64(count))
    }

    public func failed(_ topic: String, count: Int = 1) {
        counter("messages_failed", "Records that could not be produced", topic: topic).increment(by: Int64(count))
    }

    public func deadLettered(_ topic: String, count: Int = 1) {
        counter("messages_dead_lettered", "Records sent to the dead-letter topic, by source topic", topic: topic)
            .increment(by: Int64(count))
    }

    public func lag(_ topic: String, partition: Int32, _ value: Int64) {
        lagGauge(topic, partition: partition).set(Double(value))
    }

    private func lagGauge(_ topic: String, partition: Int32) -> Gauge {
        registry.makeGauge(
            descriptor: descriptor("consumer_lag", unit: "", "Records between the partition's end and the group's committed offset"),
            labels: [("topic", topic), ("partition", String(partition))])
    }

    public func batchDuration(_ duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: descriptor("batch_duration", unit: "seconds", "Time to handle one batch"),
            labels: [("stage", stage)], buckets: Self.buckets
        ).record(duration)
    }

    public func parseDuration(_ duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: descriptor("parse_duration", unit: "seconds", "Time to parse one article"),
            labels: [], buckets: Self.buckets
        ).record(duration)
    }

    /// Turns one librdkafka statistics report into gauges. A partition that is no longer
    /// assigned loses its lag gauge instead of showing a stale figure.
    public func record(_ statistics: KafkaStatistics) {
        let client = statistics.clientType
        if client == "consumer" {
            var current = Set<TopicPartition>()
            for partition in statistics.partitions {
                guard let value = partition.consumerLag else { continue }
                current.insert(TopicPartition(topic: partition.topic, partition: partition.partition))
                lag(partition.topic, partition: partition.partition, value)
            }
            let gone = lagPartitions.withLock { known in
                defer { known = current }
                return known.subtracting(current)
            }
            for partition in gone {
                registry.unregisterGauge(lagGauge(partition.topic, partition: partition.partition))
            }
        } else {
            gauge("kafka_producer_queue_messages", help: "Records in librdkafka's producer queue or in flight",
                  labels: [("client", client)], Double(statistics.queuedMessages))
        }
        for broker in statistics.brokers {
            let labels = [("client", client), ("broker", broker.name)]
            gauge("kafka_broker_up", help: "Whether librdkafka's connection to the broker is up (1) or not (0)",
                  labels: labels, broker.isUp ? 1 : 0)
            if let rtt = broker.averageRoundTrip {
                gauge("kafka_broker_rtt_seconds", help: "Average request round-trip time to the broker over the last statistics interval",
                      labels: labels, rtt.secondsValue)
            }
        }
    }

    /// The statistics set-up that feeds ``record(_:)``, or nil when `interval` is zero.
    public func statisticsReporting(every interval: Duration) -> StatisticsReporting? {
        guard interval > .zero else { return nil }
        return StatisticsReporting(every: interval) { [self] statistics in record(statistics) }
    }

    /// The size of the index folder's shard files (with their WAL and shared-memory files).
    public func indexDiskUsage(_ usage: ShardDiskUsage) {
        gauge("index_size_bytes", help: "Bytes on disk of the index shard files, WAL included", Double(usage.bytes))
        gauge("index_shards", help: "Shard files in the index folder", Double(usage.shards))
    }

    /// Sets a gauge named `quotewire_NAME`.
    public func gauge(_ name: String, help: String, labels: [(String, String)] = [], _ value: Double) {
        registry.makeGauge(descriptor: descriptor(name, unit: "", help), labels: labels).set(value)
    }

    private func counter(_ name: String, _ help: String, topic: String) -> Counter {
        registry.makeCounter(descriptor: descriptor(name, unit: "total", help), labels: [("topic", topic)])
    }

    private func descriptor(_ name: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "quotewire", metricName: name, unitName: unit, helpText: help)
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> [UInt8] {
        registry.emitToBuffer()
    }

    static let buckets: [Duration] = [
        .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10),
        .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
    ]
}
