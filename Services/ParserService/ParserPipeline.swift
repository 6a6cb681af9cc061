import Foundation
import Logging
import QuotewireKafka
import QuotewireModels
import ServiceLifecycle
import ServiceSupport

/// The parser stage as a lifecycle `Service`: consumes `articles.raw` in its group, publishes
/// each parsed article to `quotes.parsed` keyed by article id, dead-letters what it cannot
/// handle, and stores a record's offset only after its output was acknowledged.
///
/// On graceful shutdown it stops taking batches, finishes the one in hand, flushes the
/// producer, commits, and leaves the group, all within `drainTimeout` plus
/// `StageDrain.leaveBudget` whatever the broker does.
public final class ParserPipeline: Service {
    let configuration: ParserServiceConfiguration
    let metrics: PipelineMetrics
    let logger: Logger
    let transformer: ArticleTransformer
    private let state = ReadinessFlag()

    public init(configuration: ParserServiceConfiguration, metrics: PipelineMetrics, logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.transformer = ArticleTransformer(outputTopic: configuration.outputTopic)
    }

    /// Whether the stage has joined the group and is consuming.
    public var isReady: Bool { state.isSet }

    public func run() async throws {
        ProcessMemory.limitArenas()
        try await TopicSetup.waitForBroker(
            brokers: configuration.brokers,
            topics: [TopicSetup.articles(configuration.inputTopic), TopicSetup.articles(configuration.outputTopic),
                     TopicSetup.deadLetters(configuration.deadLetterTopic)],
            logger: logger)
        var consumerConfiguration = configuration.consumer
        consumerConfiguration.groupID = configuration.groupID
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        let producer = try KafkaProducer(configuration: configuration.producer, logger: logger)
        try consumer.subscribe([configuration.inputTopic])
        state.set()
        logger.info("consuming", metadata: ["topic": "\(configuration.inputTopic)", "group": "\(configuration.groupID)"])

        // The batch in hand when shutdown begins may wait on a broker that does not answer: once the
        // drain bound has passed its sends are failed, so it stays unacknowledged (parsed again after
        // restart) and the drain starts; the flush shares that bound, and the whole stop takes at
        // most the bound plus StageDrain.leaveBudget.
        let drainTimeout = configuration.drainTimeout
        let stopRequest = StopRequest()
        do {
            try await withGracefulShutdownHandler {
                // A poll returns within the poll timeout even when nothing arrives, so shutdown is noticed.
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    let batch = try await consumer.poll()
                    if batch.isEmpty { continue }
                    if try await !handle(batch, producer: producer, consumer: consumer) { break }
                }
            } onGracefulShutdown: {
                stopRequest.mark()
                Task {
                    try? await Task.sleep(for: drainTimeout)
                    await producer.abandonOutstanding()
                }
            }
        } catch {
            logger.error("consumer failed", metadata: ["error": "\(error)"])
            await shutDown(consumer: consumer, producer: producer, stopAt: stopRequest.at)
            throw error
        }
        await shutDown(consumer: consumer, producer: producer, stopAt: stopRequest.at)
    }

    private func shutDown(consumer: KafkaConsumer, producer: KafkaProducer, stopAt: ContinuousClock.Instant?) async {
        state.clear()
        await StageDrain.drain(consumer: consumer, producer: producer, timeout: configuration.drainTimeout, stopAt: stopAt,
                               logger: logger)
        logger.info("stopped")
    }

    /// Parses and publishes one batch; stores its offsets once every output is acknowledged.
    /// Returns false when shutdown interrupted a retry (the batch's offsets are not stored, so
    /// it is parsed again after restart).
    func handle(_ batch: [KafkaMessage], producer: KafkaProducer, consumer: KafkaConsumer) async throws -> Bool {
        let started = ContinuousClock.now
        metrics.consumed(configuration.inputTopic, count: batch.count)
        var outgoing: [OutgoingMessage] = []
        outgoing.reserveCapacity(batch.count)
        for message in batch {
            let parseStart = ContinuousClock.now
            switch transformer.transform(message) {
            case .publish(let output):
                outgoing.append(output)
            case .reject(let reason):
                outgoing.append(deadLetter(message, reason: reason))
            }
            metrics.parseDuration(ContinuousClock.now - parseStart)
        }
        guard try await publish(outgoing, originals: batch, producer: producer) else { return false }

        var next: [TopicPartition: Int64] = [:]
        for message in batch {
            next[message.topicPartition] = max(next[message.topicPartition] ?? 0, message.offset + 1)
        }
        do {
            try consumer.storeOffsets(next)
        } catch {
            // The partition was revoked meanwhile: its new owner parses these records again.
            logger.warning("offsets not stored", metadata: [
                "topic": "\(configuration.inputTopic)", "offsets": "\(next.map { "\($0.key.partition):\($0.value)" }.sorted())",
                "error": "\(error)",
            ])
        }
        metrics.batchDuration(ContinuousClock.now - started)
        ProcessMemory.releaseFreePages()
        logger.debug("batch parsed", metadata: [
            "topic": "\(configuration.inputTopic)", "records": "\(batch.count)",
            "offsets": "\(next.map { "\($0.key.partition):\($0.value)" }.sorted())",
        ])
        return true
    }

    /// Sends until every record is acknowledged: retriable failures (the broker away) are
    /// retried with backoff; a record the broker refuses for good is dead-lettered instead.
    private func publish(_ records: [OutgoingMessage], originals: [KafkaMessage], producer: KafkaProducer) async throws -> Bool {
        var pending = Array(zip(records, originals))
        var delay = Duration.milliseconds(100)
        while !pending.isEmpty {
            let results = await producer.send(pending.map(\.0))
            var retry: [(OutgoingMessage, KafkaMessage)] = []
            for ((record, original), result) in zip(pending, results) {
                switch result {
                case .success:
                    if record.topic == configuration.deadLetterTopic {
                        metrics.deadLettered(original.topic)
                    } else {
                        metrics.produced(record.topic)
                    }
                case .failure(let error) where error.isRetriable:
                    retry.append((record, original))
                case .failure(let error):
                    metrics.failed(record.topic)
                    if record.topic == configuration.deadLetterTopic {
                        throw error  // even the dead-letter topic refuses it: stop rather than lose it
                    }
                    retry.append((deadLetter(original, reason: "publishing the parsed article failed: \(error)"), original))
                }
            }
            pending = retry
            if !pending.isEmpty {
                let first = pending[0].1
                logger.warning("publish failed, retrying", metadata: [
                    "records": "\(pending.count)", "retryIn": "\(delay)", "outputTopic": "\(pending[0].0.topic)",
                    "topic": "\(first.topic)", "partition": "\(first.partition)", "offset": "\(first.offset)",
                    "articleId": "\(first.keyString ?? "")",
                ])
                if Task.isShuttingDownGracefully { return false }
                try await Task.sleep(for: delay)
                delay = min(delay * 2, configuration.maxRetryDelay)
            }
        }
        return true
    }

    private func deadLetter(_ message: KafkaMessage, reason: String) -> OutgoingMessage {
        logger.warning("dead-lettering", metadata: [
            "topic": "\(message.topic)", "partition": "\(message.partition)", "offset": "\(message.offset)",
            "articleId": "\(message.keyString ?? "")", "reason": "\(reason)",
        ])
        return DeadLetter.message(for: message, error: reason, stage: "parser", topic: configuration.deadLetterTopic)
    }
}
