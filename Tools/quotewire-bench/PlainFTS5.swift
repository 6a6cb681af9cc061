import Foundation
import GRDB
import Logging
import QuotewireKafka
import QuotewireModels

/// The baseline every index benchmark compares against: one process, one FTS5 table with
/// default options over headline + body, default pragmas, `batch`-row transactions.
enum PlainFTS5 {
    /// Inserts every article into a new table at `path` and returns the insert time
    /// (table creation excluded).
    static func insert(_ articles: [ParsedArticle], path: String, batch: Int) throws -> Duration {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE VIRTUAL TABLE docs USING fts5(headline, body)") }
        let start = ContinuousClock.now
        var index = 0
        while index < articles.count {
            let end = min(index + batch, articles.count)
            try queue.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO docs (headline, body) VALUES (?, ?)")
                for article in articles[index..<end] {
                    try insert.execute(arguments: [article.headline ?? "", article.paragraphs.joined(separator: "\n\n")])
                }
            }
            index = end
        }
        let elapsed = ContinuousClock.now - start
        try queue.close()
        return elapsed
    }
}

/// The corpus parsed once (untimed) and the plain FTS5 insert of it in this process, timed:
/// what the indexer and pipeline benchmarks measure against. Empties `work` first and prints
/// both figures.
struct PlainBaseline {
    let lines: [BenchCorpus.Line]
    let articles: [ParsedArticle]
    /// The plain insert's time.
    let duration: Duration
    /// Documents per second of the plain insert.
    var rate: Double { Double(articles.count) / duration.seconds }

    static func measure(corpus: String, work: String, batch: Int) throws -> PlainBaseline {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: corpus).deletingLastPathComponent(), withIntermediateDirectories: true)
        try BenchCorpus.ensure(corpus, total: 20_000)
        let lines = try BenchCorpus.load(corpus)
        guard !lines.isEmpty else { throw BenchError("the corpus \(corpus) is empty") }
        let parseStart = ContinuousClock.now
        let articles = BenchCorpus.parse(lines, receivedAt: Date(timeIntervalSince1970: 1_770_000_000))
        let distinct = Set(articles.map(\.articleId)).count
        print("corpus: \(articles.count) articles (\(distinct) distinct ids), "
              + "parsed in \(format((ContinuousClock.now - parseStart).seconds, 2)) s (untimed)")

        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let cpuStart = processCPUSeconds()
        let duration = try PlainFTS5.insert(articles, path: work + "/plain.sqlite", batch: batch)
        let cpu = processCPUSeconds() - cpuStart
        try? FileManager.default.removeItem(atPath: work + "/plain.sqlite")
        let baseline = PlainBaseline(lines: lines, articles: articles, duration: duration)
        print("plain FTS5 (1 table, default options, \(batch)-row transactions, this process): "
              + "\(format(duration.seconds, 2)) s, \(format(baseline.rate, 0)) docs/s; CPU \(format(cpu, 2)) s")
        return baseline
    }
}

/// The admin client of the broker a benchmark runs against, once the broker answered.
func reachableBroker(_ brokers: String, logger: Logger) async throws -> KafkaAdmin {
    do {
        var configuration = AdminConfiguration(brokers: brokers)
        configuration.timeout = .seconds(10)
        let admin = try KafkaAdmin(configuration: configuration, logger: logger)
        _ = try await admin.partitionCounts()
        return admin
    } catch {
        throw BenchError("the broker at \(brokers) is not reachable: \(error)")
    }
}
