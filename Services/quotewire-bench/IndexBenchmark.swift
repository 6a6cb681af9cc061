import ArgumentParser
import Foundation
import GRDB
import QuotewireIndex
import QuotewireModels

/// `quotewire-bench index`: plain FTS5 inserts vs the store's sharded write path.
struct IndexBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Write throughput: one plain FTS5 table vs the store's 3-shard write path, same documents.")

    @Option(help: "The corpus file (generated with make_corpus.py when missing).")
    var corpus: String = "/tmp/quotewire-bench/corpus.jsonl"

    @Option(help: "Articles in a generated corpus.")
    var total: Int = 20_000

    @Option(help: "Working folder (emptied first).")
    var work: String = "/tmp/quotewire-bench/index-run"

    @Option(help: "Shards (partitions) written in parallel.")
    var shards: Int = 3

    @Option(help: "Operations per transaction, both sides.")
    var batch: Int = 1_000

    func run() async throws {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: corpus).deletingLastPathComponent(), withIntermediateDirectories: true)
        try BenchCorpus.ensure(corpus, total: total)
        let lines = try BenchCorpus.load(corpus)
        let parseStart = ContinuousClock.now
        let articles = BenchCorpus.parse(lines, receivedAt: Date(timeIntervalSince1970: 1_770_000_000))
        let parseTime = ContinuousClock.now - parseStart
        let quotations = articles.reduce(0) { $0 + $1.quotations.count }
        print("corpus: \(articles.count) articles, \(quotations) quotations, parsed in \(format(parseTime.seconds, 2)) s (not timed below)")

        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)

        let plain = try plainFTS5(articles, path: work + "/plain.sqlite")
        print("plain FTS5 (1 table, default options, \(batch)-row transactions): \(format(plain.seconds, 2)) s, "
              + "\(format(Double(articles.count) / plain.seconds, 0)) docs/s")
        let store = try await storeWrite(articles, folder: IndexFolder(path: work + "/index"))
        print("store (\(shards) shards in parallel, \(batch)-operation batches, articles + quotations + speakers "
              + "+ market quotes + offsets): \(format(store.seconds, 2)) s, \(format(Double(articles.count) / store.seconds, 0)) docs/s")
        print("ratio store/plain: \(format(plain.seconds / store.seconds, 2))x (goal >= 1.3x)")
    }

    /// One process, one FTS5 table with default options over headline + body.
    private func plainFTS5(_ articles: [ParsedArticle], path: String) throws -> Duration {
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

    /// The indexer's path (see ``ShardLoader``).
    private func storeWrite(_ articles: [ParsedArticle], folder: IndexFolder) async throws -> Duration {
        try await ShardLoader.write(articles, into: folder, shards: shards, batch: batch)
    }
}
