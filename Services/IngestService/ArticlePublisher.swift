import ArticleIntake
import Logging
import QuotewireKafka
import QuotewireModels
import ServiceLifecycle
import ServiceSupport
import Synchronization

/// Publishes raw articles to the articles topic and answers only once the broker acknowledged.
///
/// As a lifecycle `Service` it probes the broker for readiness while running; on graceful
/// shutdown it refuses new articles, waits for the publishes in flight, flushes and closes
/// the producer. Put it first in the `ServiceRunner`'s list so it stops last, after the HTTP server
/// and the folder watcher have finished their requests.
public final class ArticlePublisher: Service, Sendable {
    let configuration: IngestServiceConfiguration
    let metrics: IngestMetrics
    let logger: Logger
    private let producer: KafkaProducer
    private let inFlight = Atomic<Int>(0)
    private let accepting = Atomic<Bool>(true)
    private let reachable = ReadinessFlag()

    /// - Throws: `KafkaError` when the producer cannot be created (bad configuration).
    public init(configuration: IngestServiceConfiguration, metrics: IngestMetrics, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.producer = try KafkaProducer(configuration: configuration.producer, logger: logger)
    }

    /// Whether the broker answered the last probe and new articles are taken.
    public var isReady: Bool { reachable.isSet && accepting.load(ordering: .acquiring) }

    /// Publishes one article keyed by its id and returns where the broker stored it.
    /// - Throws: ``PublishError``: `unavailable` when the broker did not acknowledge within the
    ///   delivery timeout, `shuttingDown` after shutdown began, `tooLarge` or `refused` otherwise.
    @discardableResult
    public func publish(_ article: RawArticle) async throws(PublishError) -> DeliveryReport {
        let message: OutgoingMessage
        do {
            message = try ArticleRecord.message(for: article, topic: configuration.topic,
                                                maxMessageBytes: configuration.producer.maxMessageBytes)
        } catch {
            metrics.failed(configuration.topic)
            throw PublishError(kind: .tooLarge, reason: error.message)
        }
        inFlight.wrappingAdd(1, ordering: .acquiringAndReleasing)
        defer { inFlight.wrappingSubtract(1, ordering: .acquiringAndReleasing) }
        guard accepting.load(ordering: .acquiring) else {
            throw PublishError(kind: .shuttingDown, reason: "the service is shutting down")
        }
        do {
            let report = try await producer.send(message)
            metrics.published(configuration.topic)
            reachable.set()
            logger.debug("published", metadata: [
                "articleId": "\(article.articleId)", "topic": "\(report.topic)",
                "partition": "\(report.partition)", "offset": "\(report.offset)",
            ])
            return report
        } catch {
            metrics.failed(configuration.topic)
            let failure = PublishError(error)
            logger.warning("publish failed", metadata: [
                "articleId": "\(article.articleId)", "topic": "\(configuration.topic)", "error": "\(error)",
            ])
            throw failure
        }
    }

    /// Probes the broker until graceful shutdown, then drains and closes.
    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            await probeLoop()
        }
        await close()
    }

    /// Refuses new articles, waits (at most the drain timeout) for those in flight, and closes
    /// the producer, flushing it. Safe to call more than once.
    public func close() async {
        guard accepting.exchange(false, ordering: .acquiringAndReleasing) else { return }
        reachable.clear()
        let deadline = ContinuousClock.now + configuration.drainTimeout
        while inFlight.load(ordering: .acquiring) > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let left = inFlight.load(ordering: .acquiring)
        if left > 0 {
            logger.warning("publishes still in flight at shutdown", metadata: ["count": "\(left)"])
        }
        await producer.close(timeout: configuration.drainTimeout)
        logger.info("producer closed")
    }

    /// Asks the broker for its metadata every `readinessInterval`, creating the topic when it is
    /// missing, and raises or lowers readiness accordingly; logs when the broker goes away or
    /// has not answered yet (once per change, not every probe).
    private func probeLoop() async {
        var admin: KafkaAdmin?
        var topicChecked = false
        var saidUnreachable = false
        while !Task.isCancelled {
            do {
                if admin == nil {
                    var adminConfiguration = AdminConfiguration(brokers: configuration.brokers)
                    adminConfiguration.timeout = .seconds(3)
                    adminConfiguration.properties = configuration.producer.properties
                    admin = try KafkaAdmin(configuration: adminConfiguration, logger: logger)
                }
                if let admin {
                    let counts = try await admin.partitionCounts()
                    if !topicChecked, counts[configuration.topic] == nil {
                        try await admin.createTopics([topicSpecification])
                        logger.info("created topic", metadata: ["topic": "\(configuration.topic)"])
                    }
                    topicChecked = true
                }
                if !reachable.isSet { logger.info("broker reachable", metadata: ["brokers": "\(configuration.brokers)"]) }
                reachable.set()
                saidUnreachable = false
            } catch {
                if !saidUnreachable {
                    logger.warning("broker not reachable, answering 503 until it is; retrying", metadata: [
                        "brokers": "\(configuration.brokers)", "retryIn": "\(configuration.readinessInterval)", "error": "\(error)",
                    ])
                    saidUnreachable = true
                }
                reachable.clear()
            }
            try? await Task.sleep(for: configuration.readinessInterval)
        }
    }

    private var topicSpecification: TopicSpecification {
        TopicSetup.articles(configuration.topic)
    }
}
