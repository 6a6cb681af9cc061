import Foundation
import Testing
@testable import QuotewireIndex
import QuotewireModels

@Suite("Index store: reader")
struct IndexReaderTests {
    /// Three shards with articles about the same topic at different strengths.
    private func threeShards() async throws -> TemporaryFolder {
        let temp = try TemporaryFolder()
        try await Fixtures.write([
            Fixtures.article("p0-strong", headline: "Volcano volcano volcano erupts",
                             paragraphs: ["The volcano erupted again."], published: "2026-01-03T00:00:00Z"),
            Fixtures.article("p0-other", headline: "Markets calm", paragraphs: ["Nothing about mountains."]),
        ], into: temp.index, partition: 0)
        try await Fixtures.write([
            Fixtures.article("p1-weak", headline: "Weather report",
                             paragraphs: ["Rain, then sun. A volcano far away was quiet for once, said nobody in particular, "
                                          + "while the long paragraph went on about other things entirely."],
                             published: "2026-01-01T00:00:00Z"),
        ], into: temp.index, partition: 1)
        try await Fixtures.write([
            Fixtures.article("p2-medium", headline: "Volcano erupts", paragraphs: ["Ash everywhere."],
                             published: "2026-01-02T00:00:00Z"),
        ], into: temp.index, partition: 2)
        return temp
    }

    @Test func multiShardResultsMergeByScore() async throws {
        let temp = try await threeShards()
        let reader = Fixtures.reader(temp.index)
        #expect(try reader.openPartitions() == [0, 1, 2])
        let page = try await reader.search("volcano")
        #expect(page.results.map(\.articleId) == ["p0-strong", "p2-medium", "p1-weak"])
        let scores = page.results.map(\.score)
        #expect(scores == scores.sorted(by: >))
        #expect(page.results.allSatisfy { $0.type == .article && $0.score > 0 })
        #expect(page.results[0].snippet.contains("<mark>"))
        #expect(page.nextCursor == nil)
    }

    @Test func cursorPagesThroughAllResultsAndIsValidated() async throws {
        let temp = try await threeShards()
        let reader = Fixtures.reader(temp.index)
        let first = try await reader.search("volcano", limit: 2)
        #expect(first.results.map(\.articleId) == ["p0-strong", "p2-medium"])
        let cursor = try #require(first.nextCursor)
        let second = try await reader.search("volcano", limit: 2, cursor: cursor)
        #expect(second.results.map(\.articleId) == ["p1-weak"])
        #expect(second.nextCursor == nil)

        for bad in ["", "garbage", "!!!", cursor + "x", String(repeating: "A", count: 500),
                    SearchCursor.base64URLEncode(Data("c1:-5:0000000000000000".utf8))] {
            await #expect { try await reader.search("volcano", cursor: bad) } throws: {
                ($0 as? IndexError)?.kind == .invalidArgument
            }
        }
        // A cursor belongs to its query.
        await #expect { try await reader.search("erupts", cursor: cursor) } throws: {
            ($0 as? IndexError)?.kind == .invalidArgument
        }
        for limit in [0, -1, 101, Int.max] {
            await #expect { try await reader.search("volcano", limit: limit) } throws: {
                ($0 as? IndexError)?.kind == .invalidArgument
            }
        }
    }

    @Test func phraseAndPrefixSearch() async throws {
        let temp = try TemporaryFolder()
        try await Fixtures.write([
            Fixtures.article("talks", headline: "Talks continue",
                             paragraphs: ["These discussions are not easy, the NATO chief said."],
                             quotations: [Fixtures.quote("These discussions are not easy", by: "Mark Rutte")]),
            Fixtures.article("other", headline: "Other news", paragraphs: ["It is easy to say it is not."]),
        ], into: temp.index, partition: 0)
        let reader = Fixtures.reader(temp.index)
        let phrase = try await reader.search(#""not easy""#)
        #expect(Set(phrase.results.map(\.articleId)) == ["talks"])
        #expect(phrase.results.contains { $0.type == .quotation && $0.speaker == "Mark Rutte" })
        let words = try await reader.search("not easy")
        #expect(Set(words.results.map(\.articleId)) == ["talks", "other"])
        let prefix = try await reader.search("discuss*")
        #expect(Set(prefix.results.map(\.articleId)) == ["talks"])
        let phrasePrefix = try await reader.search(#""these discuss"*"#)
        #expect(Set(phrasePrefix.results.map(\.articleId)) == ["talks"])
        // Diacritics and case fold.
        #expect(try await reader.search("DISCUSSIÓNS").results.isEmpty == false)
    }

    @Test(arguments: [#"c++ "shoot"#, "NEAR(", "*", "AND OR", "\"\"\"", "title:x OR (y", "^foo -bar +baz",
                      "NEAR(a b, 3)", "a\u{0}b", "😀 emoji", "'; DROP TABLE article; --",
                      // A quote mark a combining accent hides inside one Character (found by fuzzing).
                      "\"\u{301}shoot", "x\"\u{301}\"y"])
    func hostileTextNeverCausesAnSQLError(_ text: String) async throws {
        let temp = try await threeShards()
        let reader = Fixtures.reader(temp.index)
        do {
            _ = try await reader.search(text)
            _ = try await reader.quotations(text: text)
        } catch {
            #expect(error.kind == .invalidQuery, "\(text): \(error)")
        }
    }

    @Test func tenKilobyteQueryIsAnInvalidQuery() async throws {
        let temp = try await threeShards()
        let reader = Fixtures.reader(temp.index)
        await #expect { try await reader.search(String(repeating: "x", count: 10_240)) } throws: {
            ($0 as? IndexError)?.kind == .invalidQuery
        }
    }

    @Test func quotationsBySpeakerPartialNameNewestFirst() async throws {
        let temp = try TemporaryFolder()
        try await Fixtures.write([
            Fixtures.article("old", quotations: [Fixtures.quote("Old words about peace", by: "Volodymyr Zelenský", mention: "Zelensky")],
                             published: "2025-05-01T00:00:00Z"),
        ], into: temp.index, partition: 0)
        try await Fixtures.write([
            Fixtures.article("new", quotations: [Fixtures.quote("New words about war", by: "Volodymyr Zelenský"),
                                                 Fixtures.quote("Unrelated", by: "Mark Rutte")],
                             received: "2026-06-01T00:00:00Z"),
        ], into: temp.index, partition: 1)
        let reader = Fixtures.reader(temp.index)
        for name in ["zelensk", "ZELENSKÝ", "Volodymyr", "odymyr zel"] {
            let found = try await reader.quotations(speaker: name).quotations
            #expect(found.map(\.articleId) == ["new", "old"], "\(name)")
        }
        #expect(try await reader.quotations(speaker: "zelensky", text: "peace").quotations.map(\.articleId) == ["old"])
        #expect(try await reader.quotations(speaker: "zelensky", since: Fixtures.date("2026-01-01T00:00:00Z"))
                    .quotations.map(\.text) == ["New words about war"])
        #expect(try await reader.quotations(speaker: "nobody").quotations.isEmpty)
        await #expect { try await reader.quotations(speaker: "   ") } throws: { ($0 as? IndexError)?.kind == .invalidArgument }

        let speakers = try await reader.speakers().speakers
        #expect(speakers.map(\.name) == ["Volodymyr Zelenský", "Mark Rutte"])
        #expect(speakers.map(\.quotations) == [2, 1])
        #expect(speakers[0].mentions.contains("Zelensky"))
    }

    @Test func tickersOverTime() async throws {
        let temp = try TemporaryFolder()
        try await Fixtures.write([
            Fixtures.article("t1", quotes: [Fixtures.ticker("RIO", 50)], published: "2026-01-01T00:00:00Z"),
            Fixtures.article("t3", quotes: [Fixtures.ticker("RIO", 52)], published: "2026-01-03T00:00:00Z"),
        ], into: temp.index, partition: 0)
        try await Fixtures.write([
            Fixtures.article("t2", quotes: [Fixtures.ticker("RIO", 51), Fixtures.ticker("GSK", 9)],
                             published: "2026-01-02T00:00:00Z"),
        ], into: temp.index, partition: 1)
        let reader = Fixtures.reader(temp.index)
        let history = try await reader.ticker("rio")
        #expect(history.symbol == "RIO")
        #expect(history.quotes.map(\.price) == [50, 51, 52])
        #expect(history.quotes.map(\.articleId) == ["t1", "t2", "t3"])
        #expect(try await reader.ticker("RIO", limit: 2).quotes.map(\.price) == [51, 52])
        #expect(try await reader.ticker("RIO", since: Fixtures.date("2026-01-02T00:00:00Z")).quotes.count == 2)
        for bad in ["", "../etc", String(repeating: "A", count: 17), "A B"] {
            await #expect { try await reader.ticker(bad) } throws: { ($0 as? IndexError)?.kind == .invalidArgument }
        }
    }

    @Test func articleByIdRoundTrips() async throws {
        let temp = try TemporaryFolder()
        let article = Fixtures.article(
            "full", headline: "Full article", paragraphs: ["First paragraph.", "Second paragraph."],
            quotations: [Fixtures.quote("Quoted", by: "Anna Keller")], quotes: [Fixtures.ticker("RIO", 57.26)],
            published: "2026-01-01T10:00:00Z")
        try await Fixtures.write([article], into: temp.index, partition: 0)
        let reader = Fixtures.reader(temp.index)
        let stored = try await reader.article(id: "full")
        #expect(stored.article == article)
        for bad in ["../../etc/passwd", "", "a/b", String(repeating: "a", count: 201), "a b"] {
            await #expect { try await reader.article(id: bad) } throws: { ($0 as? IndexError)?.kind == .invalidArgument }
        }
    }

    @Test func newShardsAndReplacedShardsArePickedUp() async throws {
        let temp = try TemporaryFolder()
        try await Fixtures.write([Fixtures.article("first", headline: "Lighthouse keeper")], into: temp.index, partition: 0)
        let reader = Fixtures.reader(temp.index)
        #expect(try await reader.search("lighthouse").results.count == 1)
        try await Fixtures.write([Fixtures.article("second", headline: "Lighthouse painter")], into: temp.index, partition: 1)
        #expect(try await reader.search("lighthouse").results.count == 2)
        try temp.index.moveShardAside(partition: 0)
        try await Fixtures.write([Fixtures.article("third", headline: "Lighthouse cat")], into: temp.index, partition: 0)
        #expect(Set(try await reader.search("lighthouse").results.map(\.articleId)) == ["second", "third"])
    }

    @Test func missingFolderIsUnavailable() async throws {
        let temp = try TemporaryFolder()
        let reader = Fixtures.reader(temp.index)
        await #expect { try await reader.search("x") } throws: { ($0 as? IndexError)?.kind == .unavailable }
    }
}
