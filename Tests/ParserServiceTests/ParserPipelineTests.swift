import Foundation
import Logging
import ParserService
import QuotewireKafka
import QuotewireModels
import QuotewireTestNeeds
import ServiceSupport
import Testing

/// The parser stage against the real broker: raw in, parsed out, poison to the dead-letter topic.
@Suite(.needs(.broker), .serialized, .timeLimit(.minutes(3))) struct ParserPipelineTests {
    static let brokers = ProcessInfo.processInfo.environment["QUOTEWIRE_TEST_BROKERS"] ?? "127.0.0.1:9092"

    var logger: Logger {
        var logger = Logger(label: "parser-tests")
        logger.logLevel = .warning
        return logger
    }

    @Test func rawArticlesComeOutParsedAndPoisonGoesToTheDeadLetterTopic() async throws {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let (input, output, dlq) = ("raw-\(suffix)", "parsed-\(suffix)", "dlq-\(suffix)")
        let admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: Self.brokers), logger: logger)
        try await admin.createTopics([input, output, dlq].map { TopicSpecification(name: $0, partitions: 3) })
        defer { Task { [admin] in try? await admin.deleteTopics([input, output, dlq]) } }

        let pipeline = pipeline(group: "parser-test-\(suffix)", topics: (input, output, dlq))
        let running = Task { try await pipeline.run() }

        let first = RawArticle.make(body: "\"We will rebuild the harbour,\" said Mayor Ana Lopes on Monday.", receivedAt: Date())
        let second = RawArticle.make(
            body: "<html><body><nav>Home</nav><p>&ldquo;Prices will fall,&rdquo; the minister Jo Park said.</p></body></html>",
            contentType: .html, url: "https://example.org/prices", receivedAt: Date())
        let encoder = WireCoding.encoder()
        let producer = try KafkaProducer(configuration: ProducerConfiguration(brokers: Self.brokers), logger: logger)
        let sent = await producer.send([
            OutgoingMessage(topic: input, key: first.articleId, value: try encoder.encode(first)),
            OutgoingMessage(topic: input, key: "poison", value: Data("{not json".utf8), headers: [KafkaHeader(name: "trace", string: "t1")]),
            OutgoingMessage(topic: input, key: second.articleId, value: try encoder.encode(second)),
            OutgoingMessage(topic: input, key: first.articleId, value: nil),
        ])
        for result in sent { _ = try result.get() }
        await producer.close(timeout: .seconds(5))

        let outputs = try await read(topic: output, count: 3)
        let parsed = try outputs.compactMap { message -> ParsedArticle? in
            guard let value = message.value else { return nil }
            return try WireCoding.decode(ParsedArticle.self, from: value)
        }
        #expect(parsed.count == 2)
        let byID = Dictionary(uniqueKeysWithValues: parsed.map { ($0.articleId, $0) })
        #expect(byID[first.articleId]?.quotations.first?.text == "We will rebuild the harbour,")
        #expect(byID[first.articleId]?.quotations.first?.speaker == "Ana Lopes")
        #expect(byID[second.articleId]?.quotations.first?.text == "Prices will fall,")
        #expect(byID[second.articleId]?.url == "https://example.org/prices")
        #expect(outputs.filter { $0.key.flatMap { String(data: $0, encoding: .utf8) } == first.articleId && $0.isTombstone }.count == 1,
                "the tombstone passes through")
        #expect(outputs.allSatisfy { message in message.isTombstone || message.keyString == (try? WireCoding.decode(ParsedArticle.self, from: message.value ?? Data()))?.articleId })

        let dead = try await read(topic: dlq, count: 1)
        try #require(dead.count == 1)
        #expect(dead[0].value == Data("{not json".utf8), "the original bytes, unchanged")
        #expect(dead[0].keyString == "poison")
        #expect(dead[0].header(DeadLetterHeader.stage)?.stringValue == "parser")
        #expect(dead[0].header(DeadLetterHeader.sourceTopic)?.stringValue == input)
        #expect(dead[0].header(DeadLetterHeader.error)?.stringValue?.contains("RawArticle") == true)
        #expect(dead[0].header("trace")?.stringValue == "t1")
        #expect(dead[0].header(DeadLetterHeader.sourceOffset) != nil)

        running.cancel()
        try await running.value
    }

    /// The stage makes the topics it was configured with when they are missing, and none of
    /// the default names.
    @Test func theConfiguredTopicsAreTheOnesCreated() async throws {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let (input, output, dlq) = ("own-raw-\(suffix)", "own-parsed-\(suffix)", "own-dlq-\(suffix)")
        let admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: Self.brokers), logger: logger)
        defer { Task { [admin] in try? await admin.deleteTopics([input, output, dlq]) } }
        let before = try await admin.partitionCounts()
        #expect(before.keys.filter { $0.hasSuffix(suffix) }.isEmpty)
        // The defaults this broker does not have yet; no test here makes them on purpose.
        let absentDefaults = [Topics.articlesRaw, Topics.quotesParsed, Topics.deadLetter].filter { before[$0] == nil }

        let pipeline = pipeline(group: "parser-topics-\(suffix)", topics: (input, output, dlq))
        let running = Task { try await pipeline.run() }
        var counts: [String: Int] = [:]
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            counts = try await admin.partitionCounts()
            if [input, output, dlq].allSatisfy({ counts[$0] != nil }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        running.cancel()
        try await running.value
        #expect(counts[input] == Topics.defaultPartitions && counts[output] == Topics.defaultPartitions
                && counts[dlq] == Topics.defaultPartitions, "\(counts.filter { $0.key.hasSuffix(suffix) })")
        #expect(absentDefaults.filter { counts[$0] != nil }.isEmpty, "a default topic was created beside the configured ones")
    }

    /// A parser stage in its own group on the given (input, output, dead-letter) topics.
    func pipeline(group: String, topics: (input: String, output: String, deadLetter: String)) -> ParserPipeline {
        var configuration = ParserServiceConfiguration(brokers: Self.brokers)
        configuration.groupID = group
        configuration.inputTopic = topics.input
        configuration.outputTopic = topics.output
        configuration.deadLetterTopic = topics.deadLetter
        return ParserPipeline(configuration: configuration, metrics: PipelineMetrics(stage: "parser"), logger: logger)
    }

    /// Reads every partition of a topic from the beginning until `count` records arrived.
    func read(topic: String, count: Int) async throws -> [KafkaMessage] {
        let consumer = try KafkaConsumer(configuration: ConsumerConfiguration(brokers: Self.brokers, groupID: nil), logger: logger)
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<3).map { (TopicPartition(topic: topic, partition: Int32($0)), KafkaOffset.beginning) }))
        var received: [KafkaMessage] = []
        let deadline = ContinuousClock.now + .seconds(60)
        var iterator = consumer.messages.makeAsyncIterator()
        while received.count < count, ContinuousClock.now < deadline, let message = try await iterator.next() {
            received.append(message)
        }
        await consumer.close()
        return received
    }
}
