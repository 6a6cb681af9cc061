import Prometheus
import ServiceSupport

/// The ingest service's metrics on `/metrics`, in the pipeline's Prometheus registry:
///
/// - `quotewire_ingest_requests_total{route,status}`: HTTP requests answered;
/// - `quotewire_messages_produced_total{topic}` / `quotewire_messages_failed_total{topic}`:
///   articles acknowledged by the broker / not published;
/// - `quotewire_ingest_files_total{outcome}`: folder-mode files moved to `done` or `failed`.
public final class IngestMetrics: Sendable {
    public let pipeline: PipelineMetrics

    public init(pipeline: PipelineMetrics = PipelineMetrics(stage: "ingest")) {
        self.pipeline = pipeline
    }

    func request(route: String, status: Int) {
        pipeline.registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("status", String(status))])
            .increment()
    }

    func published(_ topic: String) {
        pipeline.produced(topic)
    }

    func failed(_ topic: String) {
        pipeline.failed(topic)
    }

    func file(outcome: String) {
        pipeline.registry.makeCounter(descriptor: Self.files, labels: [("outcome", outcome)]).increment()
    }

    static var requests: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "quotewire", subsystem: "ingest", metricName: "requests", unitName: "total",
        helpText: "HTTP requests answered, by route and status.") }
    static var files: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "quotewire", subsystem: "ingest", metricName: "files", unitName: "total",
        helpText: "Watched-folder files handled, by outcome (done, failed).") }

    /// The Prometheus text exposition.
    public func render() -> [UInt8] {
        pipeline.render()
    }
}
