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

    @Option(help: "Rows per transaction of the plain FTS5 insert.")
    var plainBatch: Int = 1_000

    @Option(help: "Operations per batch (transaction) of the store; the indexer's default.")
    var batch: Int = 2_000

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

        var cpu = processCPUSeconds()
        let plain = try PlainFTS5.insert(articles, path: work + "/plain.sqlite", batch: plainBatch)
        let plainCPU = processCPUSeconds() - cpu
        print("plain FTS5 (1 table, default options, \(plainBatch)-row transactions): \(format(plain.seconds, 2)) s, "
              + "\(format(Double(articles.count) / plain.seconds, 0)) docs/s; CPU \(format(plainCPU, 2)) s")
        cpu = processCPUSeconds()
        let store = try await storeWrite(articles, folder: IndexFolder(path: work + "/index"))
        let storeCPU = processCPUSeconds() - cpu
        print("store (\(shards) shards in parallel, \(batch)-operation batches, articles + quotations + speakers "
              + "+ market quotes + offsets): \(format(store.seconds, 2)) s, \(format(Double(articles.count) / store.seconds, 0)) docs/s; "
              + "CPU \(format(storeCPU, 2)) s")
        print("ratio store/plain: \(format(plain.seconds / store.seconds, 2))x wall (goal >= 1.3x); "
              + "CPU per document store/plain: \(format(storeCPU / plainCPU, 2))x")
    }

    /// The indexer's path (see ``ShardLoader``).
    private func storeWrite(_ articles: [ParsedArticle], folder: IndexFolder) async throws -> Duration {
        try await ShardLoader.write(articles, into: folder, shards: shards, batch: batch)
    }
}
