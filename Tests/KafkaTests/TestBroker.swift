import Foundation
import Logging
import QuotewireKafka
import Testing

/// The real broker the tests talk to: `QUOTEWIRE_TEST_BROKERS`, which `make test` sets after
/// starting one, else the default local port. A test that cannot reach it fails.
enum TestBroker {
    static let brokers = ProcessInfo.processInfo.environment["QUOTEWIRE_TEST_BROKERS"] ?? "127.0.0.1:9092"

    static var logger: Logger {
        var logger = Logger(label: "kafka-tests")
        logger.logLevel = .warning
        return logger
    }

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Creates a topic of its own for one test, runs the body, and deletes the topic again.
    static func withTopic<T>(
        partitions: Int, _ body: (String) async throws -> T
    ) async throws -> T {
        let admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: brokers), logger: logger)
        let topic = uniqueName("test")
        try await admin.createTopics([TopicSpecification(name: topic, partitions: partitions)])
        do {
            let result = try await body(topic)
            try await admin.deleteTopics([topic])
            return result
        } catch {
            try? await admin.deleteTopics([topic])
            throw error
        }
    }

    static func producer(timeout: Duration = .seconds(20)) throws -> KafkaProducer {
        var configuration = ProducerConfiguration(brokers: brokers)
        configuration.deliveryTimeout = timeout
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    /// A consumer reading the given partitions from the beginning, without a group.
    static func assignedConsumer(topic: String, partitions: Int) throws -> KafkaConsumer {
        let consumer = try KafkaConsumer(configuration: ConsumerConfiguration(brokers: brokers, groupID: nil), logger: logger)
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<partitions).map {
            (TopicPartition(topic: topic, partition: Int32($0)), KafkaOffset.beginning)
        }))
        return consumer
    }

    static func groupConsumer(group: String, rebalance: RebalanceHandler? = nil) throws -> KafkaConsumer {
        try KafkaConsumer(configuration: ConsumerConfiguration(brokers: brokers, groupID: group), logger: logger, rebalance: rebalance)
    }
}

/// Reads until `count` records arrived or the deadline passed.
func collect(_ consumer: KafkaConsumer, count: Int, within limit: Duration = .seconds(60),
             each: (KafkaMessage) throws -> Void = { _ in }) async throws -> [KafkaMessage] {
    let deadline = ContinuousClock.now + limit
    var received: [KafkaMessage] = []
    var iterator = consumer.messages.makeAsyncIterator()
    while received.count < count, ContinuousClock.now < deadline {
        guard let message = try await iterator.next() else { break }
        try each(message)
        received.append(message)
    }
    return received
}

/// Waits until a condition holds or the deadline passes.
func eventually(within limit: Duration = .seconds(30), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return await condition()
}
