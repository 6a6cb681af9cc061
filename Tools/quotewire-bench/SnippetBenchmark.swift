import ArgumentParser
import Foundation
import GRDB
import QuotewireIndex
import QuotewireModels

/// `quotewire-bench snippets`: search latency when one document repeats the searched word
/// thousands of times, beside ordinary documents. Prints the search through `IndexReader`
/// (snippets per page, cut from `highlight()` past the match limit) and, once, what FTS5's
/// `snippet()` in the ranking statement costs on the same shard.
struct SnippetBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snippets",
        abstract: "Search latency with a document repeating the searched word thousands of times.")

    @Option(help: "How many times the crowded document repeats the searched word.")
    var repeats: Int = 6_000

    @Option(help: "Ordinary documents beside it.")
    var ordinary: Int = 2_000

    @Option(help: "Searches to time.")
    var searches: Int = 50

    @Flag(help: "Skip timing FTS5's snippet() in the ranking statement (quadratic: seconds).")
    var skipStatement = false

    func run() async throws {
        let folder = IndexFolder(path: FileManager.default.temporaryDirectory
            .appendingPathComponent("quotewire-bench-snippets-\(UUID().uuidString.prefix(8))").path)
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let received = Date(timeIntervalSince1970: 1_770_000_000)
        let speech = String(repeating: "we will rebuild every quay and every crane of this harbour ", count: repeats)
        var articles = [ParsedArticle(
            articleId: "crowded", source: "Bench Wire", headline: "The longest speech", headings: [],
            receivedAt: received, paragraphs: [speech],
            quotations: [Quotation(text: speech, speaker: "Ines Kowal", speakerMention: "Kowal", speakerRole: nil,
                                   cue: "said", kind: .direct, start: 0, end: speech.unicodeScalars.count)],
            marketQuotes: [])]
        for n in 0..<ordinary {
            articles.append(ParsedArticle(
                articleId: "ordinary-\(n)", source: "Bench Wire", headline: "Harbour news \(n)", headings: [],
                receivedAt: received, paragraphs: ["The quay at berth \(n) reopened after repairs, the port said on Monday."],
                quotations: [], marketQuotes: []))
        }
        _ = try await ShardLoader.write(articles, into: folder, shards: 1, batch: 500)

        var configuration = IndexReaderConfiguration()
        configuration.refreshInterval = .seconds(60)
        let reader = IndexReader(folder: folder, configuration: configuration)
        _ = try await reader.search("quay", limit: 10)  // opens the shard
        var durations: [Duration] = []
        for _ in 0..<searches {
            let started = ContinuousClock.now
            let page = try await reader.search("quay", limit: 10)
            durations.append(ContinuousClock.now - started)
            guard page.results.contains(where: { $0.articleId == "crowded" }) else {
                throw ValidationError("the crowded document is not on the first page")
            }
        }
        let stats = LatencyStats(durations)
        print("search \"quay\", limit 10, one document repeating it \(repeats) times among \(ordinary) ordinary ones, \(searches) searches:")
        print(String(format: "  IndexReader.search: p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                     stats.percentile(50), stats.percentile(99), stats.percentile(100)))
        guard !skipStatement else { return }
        let shard = try DatabaseQueue(path: folder.url.appendingPathComponent(IndexFolder.shardFileName(partition: 0)).path)
        let started = ContinuousClock.now
        let length = try await shard.read { db in
            try Int.fetchAll(db, sql: """
                SELECT length(snippet(quotation_fts, -1, char(2), char(3), '…', 24))
                FROM quotation_fts WHERE quotation_fts MATCH 'quay' ORDER BY rank LIMIT 11
                """).reduce(0, +)
        }
        print(String(format: "  FTS5 snippet() in the ranking statement (quotations only, once): %.0f ms (%d characters)",
                     (ContinuousClock.now - started).seconds * 1_000, length))
    }
}
