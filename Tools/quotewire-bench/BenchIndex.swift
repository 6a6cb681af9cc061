import Foundation
import QuotewireIndex
import QuotewireModels

/// The 100,000-article index the query benchmarks share: the benchmark corpus (made with
/// `make_corpus.py` when missing) parsed once and written `repeats` times under new ids and
/// later days, into 3 shards, unless the folder already holds shards.
enum BenchIndex {
    /// The corpus lines, generating the file when it is missing.
    static func corpus(_ path: String) throws -> [BenchCorpus.Line] {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        try BenchCorpus.ensure(path, total: 20_000)
        return try BenchCorpus.load(path)
    }

    /// Loads the corpus `repeats` times with new ids when the folder is empty.
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

    /// Words of 4–12 letters from the first 2,000 articles, sorted: the benchmarks' query words.
    static func vocabulary(_ lines: [BenchCorpus.Line]) -> [String] {
        var words = Set<String>()
        for line in lines.prefix(2_000) {
            for word in line.text.split(whereSeparator: { !$0.isLetter }) where (4...12).contains(word.count) {
                words.insert(word.lowercased())
            }
        }
        return words.sorted()
    }
}
