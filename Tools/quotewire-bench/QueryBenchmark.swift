import ArgumentParser
import AsyncHTTPClient
import Foundation
import GRDB
import Logging
import NIOCore
import NIOHTTP1
import QueryService
import QuotewireIndex
import QuotewireModels
import ServiceLifecycle

/// `quotewire-bench query`: search latency through the HTTP API vs the same SQL on SQLite.
struct QueryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Search latency over 100,000 articles: HTTP API vs the same queries run directly on SQLite.")

    @Option(help: "The corpus file (generated with make_corpus.py when missing).")
    var corpus: String = "/tmp/quotewire-bench/corpus.jsonl"

    @Option(help: "The index folder; built when it has no shards.")
    var index: String = "/tmp/quotewire-bench/index-100k"

    @Option(help: "How many times the corpus is repeated (with new ids) into the index.")
    var repeats: Int = 5

    @Option(help: "Queries to time.")
    var queries: Int = 200

    @Option(help: "Results per query.")
    var limit: Int = 20

    @Option(help: "Random seed for the queries.")
    var seed: UInt64 = 42

    func run() async throws {
        let folder = IndexFolder(path: index)
        let lines = try BenchIndex.corpus(corpus)
        try await BenchIndex.buildIfNeeded(folder, lines, repeats: repeats)
        let words = BenchIndex.vocabulary(lines)
        var rng = SplitMix64(seed: seed)
        let texts: [String] = (0..<queries).map { _ in
            let count = Int(rng.next() % 2) + 1
            return (0..<count).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
        }

        let reader = IndexReader(folder: folder)
        let counts = try await reader.counts()
        print("index: \(counts.articles) articles, \(counts.quotations) quotations in \(try reader.openPartitions().count) shards")

        var logger = Logger(label: "quotewire-bench")
        logger.logLevel = .warning
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var configuration = QueryServiceConfiguration()
        configuration.indexPath = index
        configuration.port = 0
        let app = try QueryApplication.make(
            configuration: configuration, logger: logger,
            onServerRunning: { port in portContinuation.yield(port ?? 0) })
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let server = Task { try await group.run() }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw BenchError("the server did not start") }

        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let direct = try DirectSQLite(folder: folder)
        var httpTimes: [Duration] = []
        var directTimes: [Duration] = []
        var readerTimes: [Duration] = []
        var hits = 0
        do {
            // Warm both paths equally, untimed.
            for text in texts.prefix(20) {
                _ = try await httpSearch(client, port: port, text)
                _ = try direct.search(text, limit: limit)
            }
            for (index, text) in texts.enumerated() {
                // Alternate the order so drift hurts neither side.
                if index % 2 == 0 {
                    httpTimes.append(try await timed { hits += try await httpSearch(client, port: port, text) })
                    directTimes.append(try timedSync { _ = try direct.search(text, limit: limit) })
                } else {
                    directTimes.append(try timedSync { _ = try direct.search(text, limit: limit) })
                    httpTimes.append(try await timed { hits += try await httpSearch(client, port: port, text) })
                }
                readerTimes.append(try await timed { _ = try await reader.search(text, limit: limit) })
            }
        } catch {
            try? await client.shutdown()
            await group.triggerGracefulShutdown()
            throw error
        }
        try await client.shutdown()
        await group.triggerGracefulShutdown()
        _ = await server.result

        let http = LatencyStats(httpTimes)
        let sql = LatencyStats(directTimes)
        let inProcess = LatencyStats(readerTimes)
        print("\(queries) random 1-2 word queries, limit \(limit), \(hits) results over HTTP")
        print("direct SQLite (same SQL, shards one after another): p50 \(format(sql.percentile(50), 2)) ms, p99 \(format(sql.percentile(99), 2)) ms")
        print("in-process IndexReader (shards in parallel, no HTTP): p50 \(format(inProcess.percentile(50), 2)) ms, p99 \(format(inProcess.percentile(99), 2)) ms")
        print("HTTP API /v1/search: p50 \(format(http.percentile(50), 2)) ms, p99 \(format(http.percentile(99), 2)) ms")
        print("ratio HTTP/direct: p50 \(format(http.percentile(50) / sql.percentile(50), 2))x, p99 \(format(http.percentile(99) / sql.percentile(99), 2))x (goal p99 <= 1.2x)")
    }

    func validate() throws {
        guard queries > 0, repeats > 0, (1...100).contains(limit) else { throw ValidationError("bad counts") }
    }

    private func httpSearch(_ client: HTTPClient, port: Int, _ text: String) async throws -> Int {
        let q = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/search?q=\(q)&limit=\(limit)")
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        guard response.status == .ok else { throw BenchError("HTTP \(response.status.code) for \(text)") }
        return try WireCoding.decoder().decode(SearchPage.self, from: Data(body.readableBytesView)).results.count
    }

    private func timed(_ body: () async throws -> Void) async throws -> Duration {
        let start = ContinuousClock.now
        try await body()
        return ContinuousClock.now - start
    }

    private func timedSync(_ body: () throws -> Void) throws -> Duration {
        let start = ContinuousClock.now
        try body()
        return ContinuousClock.now - start
    }
}

/// The store's search SQL run by hand on each shard file, one after another.
struct DirectSQLite {
    let queues: [DatabaseQueue]

    init(folder: IndexFolder) throws {
        var configuration = Configuration()
        configuration.readonly = true
        queues = try folder.shardFiles().sorted { $0.key < $1.key }.map {
            try DatabaseQueue(path: $0.value.path, configuration: configuration)
        }
    }

    func search(_ text: String, limit: Int) throws -> Int {
        let pattern = try (SearchQuery(text).pattern ?? "")
        var rows = 0
        for queue in queues {
            rows += try queue.read { db in
                let articles = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT article_fts.rowid AS rid, a.articleId, a.headline, a.source, a.publishedAt, a.receivedAt,
                           snippet(article_fts, -1, char(2), char(3), '…', 24) AS snippet, rank
                    FROM article_fts JOIN article a ON a.rid = article_fts.rowid
                    WHERE article_fts MATCH ? AND rank MATCH 'bm25(4.0, 1.0)' ORDER BY rank LIMIT ?
                    """), arguments: [pattern, limit + 1])
                let quotations = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT quotation_fts.rowid AS qid, q.text, q.speaker, a.articleId, a.headline, a.source,
                           a.publishedAt, a.receivedAt,
                           snippet(quotation_fts, -1, char(2), char(3), '…', 24) AS snippet, rank
                    FROM quotation_fts JOIN quotation q ON q.qid = quotation_fts.rowid JOIN article a ON a.rid = q.article
                    WHERE quotation_fts MATCH ? AND rank MATCH 'bm25(2.0, 1.0)' ORDER BY rank LIMIT ?
                    """), arguments: [pattern, limit + 1])
                return articles.count + quotations.count
            }
        }
        return rows
    }
}

/// A small seeded generator so runs pick the same queries.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
