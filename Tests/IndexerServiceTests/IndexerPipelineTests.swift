import Foundation
import IndexerService
import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import QuotewireTestNeeds
import ServiceSupport
import Testing

/// The indexer stage in-process against the real broker and real SQLite files.
@Suite(.needs(.broker), .serialized, .timeLimit(.minutes(4))) struct IndexerPipelineTests {
    func configuration(topic: String, dlq: String, folder: URL, group: String) -> IndexerServiceConfiguration {
        var configuration = IndexerServiceConfiguration(brokers: IndexerTestSupport.brokers, indexPath: folder.path)
        configuration.topic = topic
        configuration.deadLetterTopic = dlq
        configuration.groupID = group
        configuration.maxBatchRecords = 100
        return configuration
    }

    func start(_ configuration: IndexerServiceConfiguration) -> Task<Void, any Error> {
        let pipeline = IndexerPipeline(configuration: configuration, metrics: PipelineMetrics(stage: "indexer"), logger: IndexerTestSupport.logger)
        return Task { try await pipeline.run() }
    }

    @Test func indexesUpsertsDeletesAndDeadLettersPoison() async throws {
        let topic = IndexerTestSupport.unique("parsed")
        let dlq = IndexerTestSupport.unique("dlq")
        let admin = try await IndexerTestSupport.createTopics([topic, dlq])
        let folder = try IndexerTestSupport.temporaryFolder()
        let running = start(configuration(topic: topic, dlq: dlq, folder: folder, group: IndexerTestSupport.unique("indexer")))

        try await IndexerTestSupport.publish((0..<50).map { IndexerTestSupport.article($0) }, topic: topic)
        #expect(await IndexerTestSupport.waitForArticles(50, in: folder) == 50)

        // A republished article replaces its earlier version; a tombstone deletes; poison is dead-lettered.
        try await IndexerTestSupport.publish([IndexerTestSupport.article(7, headline: "Harbour report revised")], topic: topic)
        try await IndexerTestSupport.publishRaw([
            OutgoingMessage(topic: topic, key: IndexerTestSupport.article(8).articleId, value: nil),
            OutgoingMessage(topic: topic, key: "poison", value: Data(#"{"schemaVersion":1,"articleId":"#.utf8)),
            OutgoingMessage(topic: topic, key: "future", value: Data(#"{"schemaVersion":9,"articleId":"x","headings":[],"paragraphs":[],"quotations":[],"marketQuotes":[]}"#.utf8)),
        ])
        #expect(await IndexerTestSupport.waitForArticles(49, in: folder) == 49)
        let reader = IndexReader(folder: IndexFolder(url: folder))
        let revised = try await reader.article(id: IndexerTestSupport.article(7).articleId)
        #expect(revised.article.headline == "Harbour report revised")
        let (ids, quotations) = try await IndexerTestSupport.contents(of: folder)
        #expect(Set(ids).count == ids.count)
        #expect(!ids.contains(IndexerTestSupport.article(8).articleId))
        #expect(quotations == 49, "the upsert replaced the quotation instead of adding one")

        let dead = try await readAll(topic: dlq, expecting: 2)
        #expect(Set(dead.compactMap(\.keyString)) == ["poison", "future"])
        #expect(dead.allSatisfy { $0.header(DeadLetterHeader.stage)?.stringValue == "indexer" })
        #expect(dead.first { $0.keyString == "future" }?.header(DeadLetterHeader.error)?.stringValue?.contains("schemaVersion 9") == true)

        running.cancel()
        try await running.value
        // Every partition's shard recorded how far it read.
        var stored: Int64 = 0
        for partition in try IndexReader(folder: IndexFolder(url: folder)).openPartitions() {
            stored += try ShardInspector.storedOffset(folder: folder, partition: partition, topic: topic) ?? 0
        }
        #expect(stored == 54)
        try await admin.deleteTopics([topic, dlq])
    }

    @Test func twoInstancesShareThePartitionsAndHandThemOverWithoutLoss() async throws {
        let topic = IndexerTestSupport.unique("parsed")
        let dlq = IndexerTestSupport.unique("dlq")
        let admin = try await IndexerTestSupport.createTopics([topic, dlq], partitions: 4)
        let folder = try IndexerTestSupport.temporaryFolder()
        let group = IndexerTestSupport.unique("indexer")
        let a = start(configuration(topic: topic, dlq: dlq, folder: folder, group: group))
        try await IndexerTestSupport.publish((0..<200).map { IndexerTestSupport.article($0) }, topic: topic)
        let b = start(configuration(topic: topic, dlq: dlq, folder: folder, group: group))
        try await IndexerTestSupport.publish((200..<400).map { IndexerTestSupport.article($0) }, topic: topic)
        #expect(await IndexerTestSupport.waitForArticles(400, in: folder) == 400)

        // A leaves; B takes its partitions and indexes what arrives next.
        a.cancel()
        try await a.value
        try await IndexerTestSupport.publish((400..<600).map { IndexerTestSupport.article($0) }, topic: topic)
        #expect(await IndexerTestSupport.waitForArticles(600, in: folder, within: .seconds(90)) == 600)
        let (ids, quotations) = try await IndexerTestSupport.contents(of: folder)
        #expect(Set(ids) == Set((0..<600).map { IndexerTestSupport.article($0).articleId }))
        #expect(ids.count == 600 && quotations == 600)
        b.cancel()
        try await b.value
        try await admin.deleteTopics([topic, dlq])
    }

    /// DESIGN.md, "a partition whose log was reset": the topic deleted and created again (a
    /// development broker restarted empty) leaves the shard's stored offset beyond the
    /// partition's end. The shard is moved aside, kept, and the partition indexed anew.
    @Test func aPartitionWhoseLogWasResetIsMovedAsideAndIndexedAnew() async throws {
        let topic = IndexerTestSupport.unique("parsed")
        let dlq = IndexerTestSupport.unique("dlq")
        let admin = try await IndexerTestSupport.createTopics([topic, dlq], partitions: 1)
        let folder = try IndexerTestSupport.temporaryFolder()
        let config = configuration(topic: topic, dlq: dlq, folder: folder, group: IndexerTestSupport.unique("indexer"))
        let first = start(config)
        try await IndexerTestSupport.publish((0..<20).map { IndexerTestSupport.article($0) }, topic: topic)
        #expect(await IndexerTestSupport.waitForArticles(20, in: folder) == 20)
        first.cancel()
        try await first.value

        try await admin.deleteTopics([topic])
        try await admin.createTopics([TopicSpecification(name: topic, partitions: 1)])
        try await IndexerTestSupport.publish((100..<105).map { IndexerTestSupport.article($0) }, topic: topic)
        let second = start(config)
        #expect(await IndexerTestSupport.waitForArticles(5, in: folder) == 5)
        let (ids, _) = try await IndexerTestSupport.contents(of: folder)
        #expect(Set(ids) == Set((100..<105).map { IndexerTestSupport.article($0).articleId }))
        // One shard moved aside (with its -wal and -shm files when a reader still had them).
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("shard-0.sqlite.moved-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        #expect(kept.count == 1, "the old shard is kept beside the new one: \(kept)")
        second.cancel()
        try await second.value
        try await admin.deleteTopics([topic, dlq])
    }

    @Test func rebuildReplaysTheTopicIntoANewGenerationAndSwapsItIn() async throws {
        let topic = IndexerTestSupport.unique("parsed")
        let dlq = IndexerTestSupport.unique("dlq")
        let admin = try await IndexerTestSupport.createTopics([topic, dlq])
        let parent = try IndexerTestSupport.temporaryFolder()
        let index = parent.appendingPathComponent("index")
        try await IndexerTestSupport.publish((0..<30).map { IndexerTestSupport.article($0) }, topic: topic)
        try await IndexerTestSupport.publishRaw([OutgoingMessage(topic: topic, key: IndexerTestSupport.article(3).articleId, value: nil)])

        let config = configuration(topic: topic, dlq: dlq, folder: index, group: IndexerTestSupport.unique("indexer"))
        let first = try await IndexRebuilder(configuration: config, logger: IndexerTestSupport.logger).run()
        #expect(try await IndexerTestSupport.contents(of: index).ids.count == 29)
        let second = try await IndexRebuilder(configuration: config, logger: IndexerTestSupport.logger).run()
        #expect(first != second)
        #expect(index.resolvingSymlinksInPath().lastPathComponent == second.lastPathComponent)
        #expect(FileManager.default.fileExists(atPath: first.path), "the previous generation is kept")
        #expect(try await IndexerTestSupport.contents(of: index).ids.count == 29)
        try await admin.deleteTopics([topic, dlq])
    }

    func readAll(topic: String, expecting count: Int) async throws -> [KafkaMessage] {
        let consumer = try KafkaConsumer(configuration: ConsumerConfiguration(brokers: IndexerTestSupport.brokers, groupID: nil),
                                         logger: IndexerTestSupport.logger)
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<3).map { (TopicPartition(topic: topic, partition: Int32($0)), KafkaOffset.beginning) }))
        var received: [KafkaMessage] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while received.count < count, ContinuousClock.now < deadline {
            received += try await consumer.poll()
        }
        await consumer.close()
        return received
    }
}
