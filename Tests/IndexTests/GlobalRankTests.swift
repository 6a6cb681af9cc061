import Foundation
import GRDB
@testable import QuotewireIndex
import QuotewireModels
import Testing

/// Relevance on the whole index's figures: `quotewire_bm25` fed one table's own figures is
/// FTS5's bm25(), and a hit scores the same in an index of one shard and cut into three.
@Suite struct GlobalRankTests {
    static let queries = [
        "harbour", "grain tariff", "grain OR ferry", "\"cargo ships\"", "port*", "harbour -storm",
        "(ferry OR bridge) council", "crane NOT (river OR dock)", "pilot quota market",
    ]

    /// Articles with uneven words and lengths, so the three shards' figures differ.
    static func articles() -> [ParsedArticle] {
        let words = ["harbour", "tariff", "grain", "ferry", "bridge", "cargo", "ships", "council", "port", "storm",
                     "quota", "pilot", "dock", "crane", "river", "market", "portal", "porter"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        return (0..<150).map { n in
            // Partition-dependent skew: the first third repeats "harbour", the last avoids "grain".
            var body = (0..<(5 + next(40))).map { _ in words[next(words.count)] }
            if n % 3 == 0 { body += Array(repeating: "harbour", count: 1 + next(4)) }
            if n % 3 == 2 { body.removeAll { $0 == "grain" } }
            return Fixtures.article(
                "rank-\(n)", headline: "\(words[next(words.count)]) \(words[next(words.count)]) notes",
                paragraphs: [body.joined(separator: " ")],
                quotations: [Fixtures.quote("The \(words[next(words.count)]) \(words[next(words.count)]) holds", by: "Ada Okafor")])
        }
    }

    @Test(arguments: queries)
    func withItsOwnTablesFiguresTheFunctionIsFTS5sBM25(_ text: String) async throws {
        let folder = try TemporaryFolder()
        try await Fixtures.write(Self.articles(), into: folder.index, partition: 0)
        let query = try SearchQuery(text)
        let pattern = try #require(query.pattern)
        let file = try #require(try folder.index.shardFiles()[0])
        let queue = try DatabaseQueue(path: file.path)
        try await queue.write { db in
            RankFunction.register(db)
            let own = SearchRanking(try SearchTermStatistics.read(db, plan: SearchPlan(query: query, sort: .relevance)))
            for type in [SearchHitType.article, .quotation] {
                let (fts, weights) = SearchPlan.table(type)
                let statistics = try #require(own[type])
                let rows = try Row.fetchAll(db, sql: """
                    SELECT rowid, bm25(\(fts), \(weights)) AS expected, \(RankFunction.name)(\(fts), ?, \(weights)) AS actual
                    FROM \(fts) WHERE \(fts) MATCH ?
                    """, arguments: [statistics.argument, pattern])
                for row in rows {
                    let (expected, actual): (Double, Double) = (row["expected"], row["actual"])
                    #expect(abs(expected - actual) <= 1e-9 * max(1, abs(expected)), "\(text) \(type) row \(row["rowid"] as Int64)")
                }
                if type == .article { #expect(!rows.isEmpty, "\(text) matches some articles") }
            }
        }
    }

    @Test(arguments: queries)
    func aHitScoresTheSameInOneShardAndCutIntoThree(_ text: String) async throws {
        let articles = Self.articles()
        let one = try TemporaryFolder()
        try await Fixtures.write(articles, into: one.index, partition: 0)
        let three = try TemporaryFolder()
        for partition in 0..<3 {
            try await Fixtures.write(articles.enumerated().filter { $0.offset % 3 == partition }.map(\.element),
                                     into: three.index, partition: partition)
        }
        let whole = try await Fixtures.reader(one.index).search(text, limit: 100)
        let split = try await Fixtures.reader(three.index).search(text, limit: 100)
        func scores(_ page: SearchPage) -> [String: Double] {
            Dictionary(page.results.map { ("\($0.type.rawValue) \($0.articleId)", $0.score) }, uniquingKeysWith: max)
        }
        let (wholeScores, splitScores) = (scores(whole), scores(split))
        #expect(!wholeScores.isEmpty)
        // The same scores in the same order (hits of equal score may trade places at the cut)...
        #expect(whole.results.count == split.results.count)
        for (a, b) in zip(whole.results, split.results) {
            #expect(abs(a.score - b.score) <= 1e-9 * max(1, abs(a.score)), "\(text): \(a.score) vs \(b.score)")
        }
        // ...and every hit in both scores the same.
        for (hit, score) in wholeScores {
            guard let other = splitScores[hit] else { continue }
            #expect(abs(score - other) <= 1e-9 * max(1, abs(score)), "\(text) \(hit): \(score) vs \(other)")
        }
    }

    @Test func theAveragesRecordIsReadAsSQLiteVarints() {
        #expect(SQLiteVarint.decodeAll(Data([0x05, 0x81, 0x00, 0x7F])) == [5, 128, 127])
        #expect(SQLiteVarint.decodeAll(Data(repeating: 0xFF, count: 9)) == [-1])
    }
}
