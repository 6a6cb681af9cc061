import Logging
import QuotewireKafka
import QuotewireModels

/// Making sure the pipeline's topics exist before a stage starts, and waiting for the broker.
public enum TopicSetup {
    /// A topic of articles (raw or parsed), whatever its name: compacted by key, so the latest
    /// version of each article is kept for ever and the index can be rebuilt by replay; sized
    /// for the largest message.
    public static func articles(_ name: String, partitions: Int = Topics.defaultPartitions) -> TopicSpecification {
        TopicSpecification(name: name, partitions: partitions, config: [
            "max.message.bytes": String(WireLimits.maxMessageBytes), "cleanup.policy": "compact",
        ])
    }

    /// A dead-letter topic: every message kept (not compacted: two failures of one article are
    /// two letters), sized for the largest message.
    public static func deadLetters(_ name: String, partitions: Int = Topics.defaultPartitions) -> TopicSpecification {
        TopicSpecification(name: name, partitions: partitions, config: ["max.message.bytes": String(WireLimits.maxMessageBytes)])
    }

    /// The node directory: each indexer node's latest advertisement kept by key (compacted);
    /// one partition, so every reader sees the advertisements in the order they were sent.
    public static func nodes(_ name: String) -> TopicSpecification {
        TopicSpecification(name: name, partitions: 1, config: ["cleanup.policy": "compact"])
    }

    /// Waits until the broker answers and creates whichever of `topics` are missing, retrying
    /// with backoff (and saying so in the log) until it works or the task is cancelled.
    public static func waitForBroker(
        brokers: String, topics: [TopicSpecification], logger: Logger,
        maxDelay: Duration = .seconds(10)
    ) async throws {
        var delay = Duration.milliseconds(250)
        var attempt = 1
        while true {
            do {
                var configuration = AdminConfiguration(brokers: brokers)
                configuration.timeout = .seconds(5)
                let admin = try KafkaAdmin(configuration: configuration, logger: logger)
                let existing = try await admin.partitionCounts()
                let missing = topics.filter { existing[$0.name] == nil }
                if !missing.isEmpty {
                    try await admin.createTopics(missing)
                    logger.info("created topics", metadata: ["topics": "\(missing.map(\.name))"])
                }
                if attempt > 1 {
                    logger.info("broker reachable", metadata: ["brokers": "\(brokers)"])
                }
                return
            } catch {
                logger.warning("broker not reachable yet, retrying", metadata: [
                    "brokers": "\(brokers)", "attempt": "\(attempt)", "retryIn": "\(delay)", "error": "\(error)",
                ])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, maxDelay)
                attempt += 1
            }
        }
    }
}
