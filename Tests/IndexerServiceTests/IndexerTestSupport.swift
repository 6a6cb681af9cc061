import Foundation
import Logging
import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import Testing

/// Shared set-up for the indexer tests: the real broker, unique topics, temp index folders.
enum IndexerTestSupport {
    static let brokers = ProcessInfo.processInfo.environment["QUOTEWIRE_TEST_BROKERS"] ?? "127.0.0.1:9092"

    static var logger: Logger {
        var logger = Logger(label: "indexer-tests")
        logger.logLevel = .warning
        return logger
    }

    static func unique(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(unique("quotewire-index"))
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A parsed article with one quotation and one market quote, distinct per `n`.
    static func article(_ n: Int, headline: String? = nil) -> ParsedArticle {
        ParsedArticle(
            articleId: String(format: "article-%05d", n),
            source: "Test Gazette",
            headline: headline ?? "Harbour report number \(n)",
            receivedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(n)),
            paragraphs: ["\"Ships arrive daily,\" said Captain Mira Holt \(n)."],
            quotations: [Quotation(text: "Ships arrive daily,", speaker: "Mira Holt", speakerMention: "Captain Mira Holt",
                                   speakerRole: "Captain", cue: "said", kind: .direct, start: 1, end: 20)],
            marketQuotes: [MarketQuote(symbol: "HRB", changePercent: 0.5, price: Double(n), currency: "USD", exchange: "NYSE - LSE")])
    }

    static func publish(_ articles: [ParsedArticle], topic: String) async throws {
        let producer = try KafkaProducer(configuration: ProducerConfiguration(brokers: brokers), logger: logger)
        let encoder = WireCoding.encoder()
        let messages = try articles.map { OutgoingMessage(topic: topic, key: $0.articleId, value: try encoder.encode($0)) }
        for result in await producer.send(messages) { _ = try result.get() }
        await producer.close(timeout: .seconds(5))
    }

    static func publishRaw(_ messages: [OutgoingMessage]) async throws {
        let producer = try KafkaProducer(configuration: ProducerConfiguration(brokers: brokers), logger: logger)
        for result in await producer.send(messages) { _ = try result.get() }
        await producer.close(timeout: .seconds(5))
    }

    static func createTopics(_ names: [String], partitions: Int = 3) async throws -> KafkaAdmin {
        let admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: brokers), logger: logger)
        try await admin.createTopics(names.map { TopicSpecification(name: $0, partitions: partitions) })
        return admin
    }

    /// The article ids in the index folder (one per row, so an article in two shards is there twice)
    /// and the quotation total.
    static func contents(of folder: URL) async throws -> (ids: [String], quotations: Int) {
        let reader = IndexReader(folder: IndexFolder(url: folder))
        let counts = try await reader.counts()
        var ids: [String] = []
        for partition in try reader.openPartitions() {
            ids += try ShardInspector.articleIDs(folder: folder, partition: partition)
        }
        return (ids, counts.quotations)
    }

    /// Waits until the folder holds `count` articles or the limit passes.
    static func waitForArticles(_ count: Int, in folder: URL, within limit: Duration = .seconds(60)) async -> Int {
        let deadline = ContinuousClock.now + limit
        var seen = -1
        while ContinuousClock.now < deadline {
            seen = (try? await contents(of: folder).ids.count) ?? -1
            if seen == count { return seen }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return seen
    }
}
