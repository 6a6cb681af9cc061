import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import QueryService
import QuotewireIndex
import QuotewireModels
import ServiceLifecycle

/// `quotewire-bench web`: the server time of each web page over 100,000 articles, read from
/// the pages' own `Server-Timing` header (the time from the request's arrival at the router to
/// its response), with the time the client waited beside it.
struct WebBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "Server time per web page (search, speaker, quotation, article, ticker, home) over 100,000 articles.")

    @Option(help: "The corpus file (generated with make_corpus.py when missing).")
    var corpus: String = "/tmp/quotewire-bench/corpus.jsonl"

    @Option(help: "The index folder; built when it has no shards.")
    var index: String = "/tmp/quotewire-bench/index-100k-v3"

    @Option(help: "How many times the corpus is repeated (with new ids) into the index.")
    var repeats: Int = 5

    @Option(help: "Requests per page kind.")
    var requests: Int = 200

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    @Option(help: "Also write the search queries here, one a line, for the browser's timing run.")
    var queriesOut: String?

    func validate() throws {
        guard requests > 0, repeats > 0 else { throw ValidationError("bad counts") }
    }

    func run() async throws {
        let folder = IndexFolder(path: index)
        let lines = try SearchWorkload.corpus(corpus)
        try await SearchWorkload.buildIfNeeded(folder, lines, repeats: repeats)
        let reader = IndexReader(folder: folder)
        let counts = try await reader.counts()
        print("index: \(counts.articles) articles, \(counts.quotations) quotations in \(try reader.openPartitions().count) shards")

        // What to ask for: random searches, and speakers, quotations, articles and tickers the index holds.
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        let searches = SearchWorkload.queries(lines, count: requests, seed: seed)
        let speakers = try await reader.speakers(limit: 1_000).speakers.map(\.name)
        var quotationIds: [String] = []
        var articleIds: [String] = []
        for _ in 0..<40 where quotationIds.count < requests {
            let page = try await reader.search(pick(searches) + " type:quotation", limit: 20)
            quotationIds += page.results.compactMap(\.quotationId)
            articleIds += page.results.map(\.articleId)
        }
        let tickers = try await tickerSymbols(reader, articleIds: Array(articleIds.prefix(300)))
        guard !speakers.isEmpty, !quotationIds.isEmpty, !articleIds.isEmpty else { throw BenchError("the index has no quotations") }
        if let queriesOut {
            try searches.prefix(60).joined(separator: "\n").appending("\n").write(toFile: queriesOut, atomically: true, encoding: .utf8)
        }

        var logger = Logger(label: "quotewire-bench")
        logger.logLevel = .warning
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var configuration = QueryServiceConfiguration()
        configuration.indexPath = index
        let app = try WebApplication.make(configuration: configuration, index: reader, port: 0, logger: logger,
                                          onServerRunning: { portContinuation.yield($0 ?? 0) })
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let server = Task { try await group.run() }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw BenchError("the server did not start") }

        func segment(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        let kinds: [(String, [String])] = [
            ("search (20 results, facets)", searches.map { "/search?q=" + segment($0) }),
            ("speaker", (0..<requests).map { _ in "/speakers/" + segment(pick(speakers)) }),
            ("quotation", (0..<requests).map { _ in "/quotations/" + segment(pick(quotationIds)) }),
            ("article", (0..<requests).map { _ in "/articles/" + segment(pick(articleIds)) }),
            ("ticker", tickers.isEmpty ? [] : (0..<requests).map { _ in "/tickers/" + segment(pick(tickers)) }),
            ("home (most quoted speakers)", Array(repeating: "/", count: max(1, requests / 4))),
        ]
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var table: [(String, LatencyStats, LatencyStats, Int)] = []
        do {
            for (name, paths) in kinds where !paths.isEmpty {
                for path in paths.prefix(10) { _ = try await fetch(client, port: port, path) }  // warm, untimed
                var server: [Duration] = []
                var waited: [Duration] = []
                var bytes = 0
                for path in paths {
                    let start = ContinuousClock.now
                    let (milliseconds, size) = try await fetch(client, port: port, path)
                    waited.append(ContinuousClock.now - start)
                    server.append(.microseconds(Int64(milliseconds * 1_000)))
                    bytes += size
                }
                table.append((name, LatencyStats(server), LatencyStats(waited), bytes / paths.count))
            }
        } catch {
            try? await client.shutdown()
            await group.triggerGracefulShutdown()
            throw error
        }
        try await client.shutdown()
        await group.triggerGracefulShutdown()
        _ = await server.result

        print("| page | requests | server p50 | server p95 | server max | client p95 | page size |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for (name, server, waited, size) in table {
            print("| \(name) | \(server.sortedMilliseconds.count) | \(format(server.percentile(50), 2)) ms | "
                  + "\(format(server.percentile(95), 2)) ms | \(format(server.sortedMilliseconds.last ?? 0, 2)) ms | "
                  + "\(format(waited.percentile(95), 2)) ms | \(size / 1024) KB |")
        }
        print("goal: server time p95 <= 50 ms for every page")
    }

    /// The symbols of the market quotes in some of the articles.
    private func tickerSymbols(_ reader: IndexReader, articleIds: [String]) async throws -> [String] {
        var symbols = Set<String>()
        for id in articleIds {
            for quote in try await reader.article(id: id).article.marketQuotes { symbols.insert(quote.symbol.uppercased()) }
            if symbols.count >= 50 { break }
        }
        return symbols.sorted()
    }

    /// Fetches a page; returns its Server-Timing duration (ms) and size, failing on anything but a 200.
    private func fetch(_ client: HTTPClient, port: Int, _ path: String) async throws -> (Double, Int) {
        let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        guard response.status == .ok else { throw BenchError("HTTP \(response.status.code) for \(path)") }
        guard let timing = response.headers.first(name: "Server-Timing"), let equals = timing.firstIndex(of: "="),
              let milliseconds = Double(timing[timing.index(after: equals)...])
        else { throw BenchError("no Server-Timing on \(path)") }
        return (milliseconds, body.readableBytes)
    }
}
