import Prometheus

/// The metrics every pipeline stage exposes on `/metrics`, in its own Prometheus registry.
///
/// - `quotewire_messages_consumed_total{topic}`, `…_produced_total{topic}`,
///   `…_failed_total{topic}`, `…_dead_lettered_total{topic}`
/// - `quotewire_consumer_lag{topic,partition}`
/// - `quotewire_batch_duration_seconds{stage}` and `quotewire_parse_duration_seconds` histograms
public final class PipelineMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let stage: String

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
        registry.makeGauge(
            descriptor: descriptor("consumer_lag", unit: "", "Records behind the partition's end"),
            labels: [("topic", topic), ("partition", String(partition))]
        ).set(Double(value))
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
