import Foundation
import GRDB
import QuotewireIndex
import QuotewireModels
import QuotewireTestSupport
import Testing

/// `IndexCensus`, the "none twice" check of the crash and shutdown tests, can fail: each kind of
/// duplicate is written into a shard on purpose, and the census reports it, where the article
/// count those tests used to compare stays the same.
@Suite struct IndexCensusTests {
    static let articles = [
        Fixtures.article("a1", quotations: [Fixtures.quote("The tide is late.", by: "Mira Holt"),
                                            Fixtures.quote("Boats wait.", by: nil)]),
        Fixtures.article("a2", headline: "Second", quotations: [Fixtures.quote("Cranes stop at noon.", by: "Mira Holt")]),
        Fixtures.article("a3", headline: "Third"),
    ]
    static let published = IndexCensus.Published(articles)

    /// A folder holding the three articles in partition 0, and the census of it.
    func indexed() async throws -> (TemporaryFolder, [String]) {
        let temp = try TemporaryFolder()
        try await Fixtures.write(Self.articles, into: temp.index, partition: 0)
        // Written twice, as a replay after a crash writes it: still once.
        try await Fixtures.write([Self.articles[0]], into: temp.index, partition: 0)
        return (temp, try IndexCensus.problems(indexPath: temp.index.url.path, published: Self.published))
    }

    func execute(_ sql: String, in folder: IndexFolder, partition: Int = 0) throws {
        let queue = try DatabaseQueue(path: folder.shardURL(partition: partition).path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    func articleCount(_ folder: IndexFolder) async throws -> Int {
        try await Fixtures.reader(folder).counts().articles
    }

    @Test func anIndexWithEachArticleOnceHasNoProblems() async throws {
        let (_, problems) = try await indexed()
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func aSecondQuotationRowIsReported() async throws {
        let (temp, _) = try await indexed()
        try execute("""
            INSERT INTO quotation (article, ordinal, text, speaker, sid, speakerMention, speakerRole, cue, kind,
                startOffset, endOffset, sortTime)
            SELECT article, ordinal, text, speaker, sid, speakerMention, speakerRole, cue, kind, startOffset, endOffset, sortTime
            FROM quotation WHERE text = 'Cranes stop at noon.'
            """, in: temp.index)
        #expect(try await articleCount(temp.index) == 3, "the article count does not see it")
        let problems = try IndexCensus.problems(indexPath: temp.index.url.path, published: Self.published)
        #expect(problems.contains("a2: 2 quotation rows, published with 1"), "\(problems)")
        #expect(problems.contains { $0.hasPrefix("speaker mira holt:") }, "\(problems)")
    }

    @Test func aSecondFullTextRowIsReported() async throws {
        let (temp, _) = try await indexed()
        try execute("""
            INSERT INTO article_fts (rowid, headline, body) SELECT rid, headline, body FROM article WHERE articleId = 'a3'
            """, in: temp.index)
        #expect(try await articleCount(temp.index) == 3, "the article count does not see it")
        let problems = try IndexCensus.problems(indexPath: temp.index.url.path, published: Self.published)
        #expect(problems.contains { $0.hasPrefix("shard 0: article_fts does not match its rows") }, "\(problems)")
    }

    @Test func aCopyInAnotherShardIsReported() async throws {
        let (temp, _) = try await indexed()
        try await Fixtures.write([Self.articles[1]], into: temp.index, partition: 1)
        let problems = try IndexCensus.problems(indexPath: temp.index.url.path, published: Self.published)
        #expect(problems.contains("a2: 2 article rows, published once"), "\(problems)")
        #expect(problems.contains("a2: 2 article_fts rows, published once"), "\(problems)")
        #expect(problems.contains("speaker mira holt: count 3 over 3 quotation rows, published 2"), "\(problems)")
    }

    @Test func aSpeakerCountedTwiceIsReported() async throws {
        let (temp, _) = try await indexed()
        try execute("UPDATE speaker SET quotations = quotations + 1", in: temp.index)
        let problems = try IndexCensus.problems(indexPath: temp.index.url.path, published: Self.published)
        #expect(problems == ["speaker mira holt: count 3 over 2 quotation rows, published 2"])
    }

    @Test func aMissingOrUnpublishedArticleIsReported() async throws {
        let (temp, _) = try await indexed()
        var published = Self.published
        published.articles["a4"] = []
        published.articles["a3"] = nil
        let problems = try IndexCensus.problems(indexPath: temp.index.url.path, published: published)
        #expect(problems.contains("a4: 0 article rows, published once"), "\(problems)")
        #expect(problems.contains("a3: in the index, never published"), "\(problems)")
        published.others = []
        let allowed = try IndexCensus.problems(indexPath: temp.index.url.path, published: published)
        #expect(!allowed.contains("a3: in the index, never published"), "others may be there: \(allowed)")
    }
}
