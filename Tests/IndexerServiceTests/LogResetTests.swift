import Foundation
import IndexerService
import Logging
import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import QuotewireTestNeeds
import QuotewireTestSupport
import ServiceSupport
import Synchronization
import Testing

/// Telling a reset log from a short reported end. A shard stores the next offset to read; when
/// the partition's reported end lies below it, the indexer reads the record before it: there, the
/// shard resumes; not there, the log was reset and the shard is moved aside (and the partition
/// indexed anew). Tansu 0.6.0 reports a partition's end as its last batch's base offset + 1, so
/// one produce of several records leaves the end below what was indexed.
/// (`IndexerPipelineTests.aPartitionWhoseLogWasResetIsMovedAsideAndIndexedAnew`: a reset log
/// that ends well before the stored offset.)
@Suite(.needs(.broker), .serialized, .timeLimit(.minutes(4))) struct LogResetTests {
    @Test func aShardAheadOfTheReportedEndResumesWhereItStopped() async throws {
        let topic = IndexerTestSupport.unique("parsed")
        let dlq = IndexerTestSupport.unique("dlq")
        let admin = try await IndexerTestSupport.createTopics([topic, dlq], partitions: 1)
        let folder = try IndexerTestSupport.temporaryFolder()
        let config = configuration(topic: topic, dlq: dlq, folder: folder)

        try await publishInOneBatch((0..<20).map { IndexerTestSupport.article($0) }, topic: topic)
        let reported = try await reportedEnd(of: topic)
        #expect(reported < 20, "the broker reports the end of one 20-record batch as \(reported) (Tansu 0.6.0: 1); this test needs it short")
        let first = start(config)
        #expect(await IndexerTestSupport.waitForArticles(20, in: folder) == 20)
        first.cancel()
        try await first.value
        #expect(try ShardInspector.storedOffset(folder: folder, partition: 0, topic: topic) == 20)

        // Started again on the same folder (the end still reported short: nothing published
        // before it has its partition), it resumes at 20, and the shard it had stays in place...
        let log = LogCapture()
        let second = start(config, logger: log.logger)
        #expect(await eventually(within: .seconds(60)) { log.contains("partitions assigned") }, "\(log.lines)")
        #expect(log.contains("the record before it is there"), "the short end was noticed and the log read: \(log.lines)")
        #expect(!log.contains("partition log was reset"), "\(log.lines)")
        // ...and what it finds next is indexed once.
        try await publishInOneBatch((100..<105).map { IndexerTestSupport.article($0) }, topic: topic)
        #expect(await IndexerTestSupport.waitForArticles(25, in: folder) == 25)
        second.cancel()
        try await second.value

        #expect(movedAside(in: folder).isEmpty, "the shard was not moved aside")
        let (ids, quotations) = try await IndexerTestSupport.contents(of: folder)
        let expected = (Array(0..<20) + Array(100..<105)).map { IndexerTestSupport.article($0).articleId }
        #expect(ids.sorted() == expected.sorted(), "each record once")
        #expect(quotations == 25)
        #expect(try ShardInspector.storedOffset(folder: folder, partition: 0, topic: topic) == 25)
        try await admin.deleteTopics([topic, dlq])
    }

    /// A log reset to hold one record fewer than the shard read: the offset before the stored
    /// one is the log's end, which the broker answers at once.
    @Test func aLogThatEndsJustBeforeTheStoredOffsetWasReset() async throws {
        let topic = IndexerTestSupport.unique("parsed")
        let dlq = IndexerTestSupport.unique("dlq")
        let admin = try await IndexerTestSupport.createTopics([topic, dlq], partitions: 1)
        let folder = try IndexerTestSupport.temporaryFolder()
        let config = configuration(topic: topic, dlq: dlq, folder: folder)
        try await publishInOneBatch((0..<20).map { IndexerTestSupport.article($0) }, topic: topic)
        let first = start(config)
        #expect(await IndexerTestSupport.waitForArticles(20, in: folder) == 20)
        first.cancel()
        try await first.value

        try await admin.deleteTopics([topic])
        try await admin.createTopics([TopicSpecification(name: topic, partitions: 1)])
        try await publishInOneBatch((100..<119).map { IndexerTestSupport.article($0) }, topic: topic)
        let log = LogCapture()
        let second = start(config, logger: log.logger)
        #expect(await eventually(within: .seconds(60)) { movedAside(in: folder).count == 1 }, "the old shard is kept beside the new one")
        #expect(log.contains("partition log was reset"), "\(log.lines)")
        #expect(await IndexerTestSupport.waitForArticles(19, in: folder) == 19)
        second.cancel()
        try await second.value
        let (ids, _) = try await IndexerTestSupport.contents(of: folder)
        #expect(ids.sorted() == (100..<119).map { IndexerTestSupport.article($0).articleId }, "the new log, indexed anew")
        try await admin.deleteTopics([topic, dlq])
    }

    func configuration(topic: String, dlq: String, folder: URL) -> IndexerServiceConfiguration {
        var configuration = IndexerServiceConfiguration(brokers: IndexerTestSupport.brokers, indexPath: folder.path)
        configuration.topic = topic
        configuration.deadLetterTopic = dlq
        configuration.groupID = IndexerTestSupport.unique("indexer")
        return configuration
    }

    func start(_ configuration: IndexerServiceConfiguration, logger: Logger = IndexerTestSupport.logger) -> Task<Void, any Error> {
        let pipeline = IndexerPipeline(configuration: configuration, metrics: PipelineMetrics(stage: "indexer"), logger: logger)
        return Task { try await pipeline.run() }
    }

    /// Publishes with one produce call and a long linger, so the records share a record batch,
    /// from an idempotent producer as the pipeline's are.
    func publishInOneBatch(_ articles: [ParsedArticle], topic: String) async throws {
        var configuration = ProducerConfiguration(brokers: IndexerTestSupport.brokers)
        configuration.linger = .milliseconds(300)
        let producer = try KafkaProducer(configuration: configuration, logger: IndexerTestSupport.logger)
        let encoder = WireCoding.encoder()
        let messages = try articles.map { OutgoingMessage(topic: topic, key: $0.articleId, value: try encoder.encode($0)) }
        for result in await producer.send(messages) { _ = try result.get() }
        await producer.close(timeout: .seconds(5))
    }

    /// The end partition 0 of `topic` is reported to have.
    func reportedEnd(of topic: String) async throws -> Int64 {
        let consumer = try KafkaConsumer(configuration: ConsumerConfiguration(brokers: IndexerTestSupport.brokers, groupID: nil),
                                         logger: IndexerTestSupport.logger)
        let end = try await consumer.watermarks(of: TopicPartition(topic: topic, partition: 0)).high
        await consumer.close()
        return end
    }

    /// Shards moved aside in `folder` (``IndexFolder/moveShardAside(partition:now:)``), without their side files.
    func movedAside(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.contains(".sqlite.moved-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
    }
}


/// What an indexer logged, for a test to wait on and read (info and above).
final class LogCapture: Sendable {
    private let kept = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "log-reset-tests") { _ in Handler(capture: self) }
    }

    var lines: [String] { kept.withLock { $0 } }

    func contains(_ text: String) -> Bool { kept.withLock { $0.contains { $0.contains(text) } } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let line = "\(event.level) \(event.message) \(event.metadata ?? [:])"
            capture.kept.withLock { $0.append(line) }
        }
    }
}
