import Foundation
import Logging
import QuotewireKafka
import QuotewireModels

/// The broker tests talk to (`QUOTEWIRE_TEST_BROKERS`, set by `make test`): topics of a test's
/// own, and reading them back. A test that cannot reach it fails.
public enum TestBroker {
    public static let brokers = ProcessInfo.processInfo.environment["QUOTEWIRE_TEST_BROKERS"] ?? "127.0.0.1:9092"

    public static var logger: Logger {
        var logger = Logger(label: "tests")
        logger.logLevel = .critical
        return logger
    }

    /// `prefix` with a random suffix: a name no other test or run uses.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// One admin client for the whole run, never destroyed. (The SIGSEGV in
    /// `rd_kafka_metadata_cache_find` that deleting topics under live clients used to cause is
    /// fixed in the librdkafka `scripts/setup.sh` builds; `TopicChurnTests` keeps it so.)
    static let sharedAdmin = Result { try KafkaAdmin(configuration: AdminConfiguration(brokers: brokers), logger: logger) }

    /// Creates topics of their own for one test, runs the body, deletes them again.
    public static func withTopics<T>(
        _ prefixes: [String], partitions: Int = 3, _ body: ([String]) async throws -> T
    ) async throws -> T {
        let admin = try sharedAdmin.get()
        let names = prefixes.map(uniqueName)
        try await admin.createTopics(names.map { TopicSpecification(name: $0, partitions: partitions) })
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body(names))
        } catch {
            outcome = .failure(error)
        }
        try? await admin.deleteTopics(names)
        return try outcome.get()
    }

    /// Reads every partition of `topic` from the beginning until `count` records arrived or
    /// the time is up.
    public static func read(
        topic: String, count: Int, partitions: Int = 3, within limit: Duration = .seconds(30)
    ) async throws -> [KafkaMessage] {
        // A group id of its own, never joined: librdkafka has no consumer queue without one.
        var configuration = ConsumerConfiguration(brokers: brokers, groupID: uniqueName("test-reader"))
        configuration.properties["enable.auto.commit"] = "false"
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<partitions).map {
            (TopicPartition(topic: topic, partition: Int32($0)), KafkaOffset.beginning)
        }))
        let deadline = ContinuousClock.now + limit
        var received: [KafkaMessage] = []
        while received.count < count, ContinuousClock.now < deadline {
            received += try await consumer.poll()
        }
        await consumer.close()
        return received
    }

    /// The raw articles among `messages`, by key.
    public static func rawArticles(in messages: [KafkaMessage]) throws -> [String: RawArticle] {
        var byKey: [String: RawArticle] = [:]
        for message in messages {
            guard let key = message.keyString, let value = message.value else { continue }
            byKey[key] = try WireCoding.decode(RawArticle.self, from: value)
        }
        return byKey
    }
}

/// A scratch folder deleted when the test is done with it.
public final class ScratchFolder: Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func write(_ name: String, _ data: Data) throws {
        try data.write(to: url.appendingPathComponent(name))
    }

    public func write(_ name: String, _ text: String) throws {
        try write(name, Data(text.utf8))
    }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    public func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: path(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Waits until a condition holds or the time is up.
public func eventually(within limit: Duration = .seconds(20), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return await condition()
}
