import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QuotewireIndex
import QuotewireModels

/// What the search benchmarks (`query`, `cluster`) share: the corpus loaded into a 3-shard
/// index, the random queries, and one search over HTTP.
enum SearchWorkload {
    /// Makes sure the corpus file exists (generating it when missing) and loads it.
    static func corpus(_ path: String) throws -> [BenchCorpus.Line] {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        try BenchCorpus.ensure(path, total: 20_000)
        return try BenchCorpus.load(path)
    }

    /// Loads the corpus `repeats` times with new ids into 3 shards when the folder has none.
    static func buildIfNeeded(_ folder: IndexFolder, _ lines: [BenchCorpus.Line], repeats: Int) async throws {
        if let existing = try? folder.shardFiles(), !existing.isEmpty { return }
        // Parse once; each round is the same articles under new ids and a later day.
        let parsed = BenchCorpus.parse(lines, receivedAt: Date(timeIntervalSince1970: 1_770_000_000))
        for round in 0..<repeats {
            let articles = parsed.map { original in
                var copy = original
                copy.articleId = original.articleId + "-r\(round)"
                copy.receivedAt = original.receivedAt?.addingTimeInterval(Double(round) * 86_400)
                return copy
            }
            let time = try await ShardLoader.write(articles, into: folder, shards: 3, batch: 1_000)
            print("loaded round \(round + 1)/\(repeats): \(articles.count) articles in \(format(time.seconds, 1)) s")
        }
    }

    /// `count` random queries of one or two words of 4–12 letters from the corpus's first
    /// 2,000 articles.
    static func queries(_ lines: [BenchCorpus.Line], count: Int, seed: UInt64) -> [String] {
        var words = Set<String>()
        for line in lines.prefix(2_000) {
            for word in line.text.split(whereSeparator: { !$0.isLetter }) where (4...12).contains(word.count) {
                words.insert(word.lowercased())
            }
        }
        let vocabulary = words.sorted()
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (0..<(Int(rng.next() % 2) + 1)).map { _ in vocabulary[Int(rng.next() % UInt64(vocabulary.count))] }
                .joined(separator: " ")
        }
    }

    /// One `/v1/search` on the query service at `port`.
    static func search(_ client: HTTPClient, port: Int, _ text: String, limit: Int) async throws -> SearchPage {
        let q = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let response = try await client.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/search?q=\(q)&limit=\(limit)"), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        guard response.status == .ok else { throw BenchError("HTTP \(response.status.code) for \(text)") }
        return try WireCoding.decoder().decode(SearchPage.self, from: Data(body.readableBytesView))
    }
}
