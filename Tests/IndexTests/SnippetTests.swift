import Foundation
import GRDB
import Testing
@testable import QuotewireIndex
import QuotewireModels

/// Snippets come from FTS5's `snippet()` for ordinary documents, exactly as when the search
/// statement itself computed them, and from a window cut out of `highlight()` for a document
/// with so many matches that `snippet()` (quadratic in them) would keep a reader busy.
@Suite("Index store: snippets")
struct SnippetTests {
    /// Harbour news written for this test: varied lengths, matches early, late, in headlines,
    /// in quotations and in phrases, spread over two shards.
    private func ordinaryIndex() async throws -> TemporaryFolder {
        let temp = try TemporaryFolder()
        let filler = "The ferry timetable changes in spring, and the ticket office moves to the old customs house by the bridge."
        var articles: [[ParsedArticle]] = [[], []]
        for n in 0..<24 {
            let early = "The night shift at the harbour loaded \(n) ships before dawn."
            let late = "Only at the end of the meeting did the council mention the quay and its cranes."
            let paragraphs = n % 3 == 0 ? [early, filler] : n % 3 == 1 ? [filler, filler, late] : [filler, early, late]
            let quote = Fixtures.quote("The cranes on the north quay will run through the night shift, every night in week \(n).",
                                       by: n % 2 == 0 ? "Ines Kowal" : "Piet Oosten")
            articles[n % 2].append(Fixtures.article(
                "harbour-\(n)", headline: n % 4 == 0 ? "Harbour cranes work through the night" : "Council meets on the ferry",
                paragraphs: paragraphs, quotations: [quote], published: "2026-01-\(String(format: "%02d", n + 1))T00:00:00Z"))
        }
        for partition in 0..<2 { try await Fixtures.write(articles[partition], into: temp.index, partition: partition) }
        return temp
    }

    /// The snippets the search statement gave before they were made per page: `snippet()` in the
    /// ranking statement itself, for every row.
    private func statementSnippets(_ temp: TemporaryFolder, pattern: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for partition in 0..<2 {
            let path = temp.index.url.appendingPathComponent(IndexFolder.shardFileName(partition: partition)).path
            let db = try DatabaseQueue(path: path)
            try db.read { db in
                for row in try Row.fetchAll(db, sql: """
                    SELECT a.articleId, snippet(article_fts, -1, char(2), char(3), '…', 24) AS snippet
                    FROM article_fts JOIN article a ON a.rid = article_fts.rowid
                    WHERE article_fts MATCH ? AND rank MATCH 'bm25(4.0, 1.0)' ORDER BY rank
                    """, arguments: [pattern]) {
                    out["article " + (row["articleId"] as String)] = IndexReader.highlight(row["snippet"])
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT a.articleId, snippet(quotation_fts, -1, char(2), char(3), '…', 24) AS snippet
                    FROM quotation_fts JOIN quotation q ON q.qid = quotation_fts.rowid JOIN article a ON a.rid = q.article
                    WHERE quotation_fts MATCH ? AND rank MATCH 'bm25(2.0, 1.0)' ORDER BY rank
                    """, arguments: [pattern]) {
                    out["quotation " + (row["articleId"] as String)] = IndexReader.highlight(row["snippet"])
                }
            }
        }
        return out
    }

    @Test(arguments: ["quay", "night shift", "\"night shift\"", "crane*", "harbour cranes", "ferry council"])
    func ordinaryDocumentsGetFTS5sOwnSnippet(_ text: String) async throws {
        let temp = try await ordinaryIndex()
        let reader = Fixtures.reader(temp.index)
        let expected = try statementSnippets(temp, pattern: try #require(SearchQuery(text).pattern))
        var seen = 0
        var cursor: String?
        repeat {
            let page = try await reader.search(text, limit: 7, cursor: cursor)
            for hit in page.results {
                let key = "\(hit.type == .article ? "article" : "quotation") \(hit.articleId)"
                #expect(hit.snippet == expected[key], "\(key) for \(text)")
                #expect(hit.snippet.contains("<mark>"))
                seen += 1
            }
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == expected.count, "every hit of \(text) paged through")
        #expect(seen > 0)
    }

    @Test func aDocumentWithThousandsOfMatchesGetsAWindowFromItsFirstMatch() async throws {
        let temp = try TemporaryFolder()
        let speech = String(repeating: "we will rebuild every quay and every crane of this harbour ", count: 6_000)
        try await Fixtures.write([
            Fixtures.article("crowded", headline: "The longest speech", paragraphs: ["Before it began, the hall was full. " + speech],
                             quotations: [Fixtures.quote(speech, by: "Ines Kowal")]),
            Fixtures.article("plain", headline: "A quay reopens", paragraphs: ["The old quay reopened on Monday."]),
        ], into: temp.index, partition: 0)
        let page = try await Fixtures.reader(temp.index).search("quay", limit: 10)
        #expect(Set(page.results.map(\.articleId)) == ["crowded", "plain"])
        for hit in page.results where hit.articleId == "crowded" {
            let words = hit.snippet.replacingOccurrences(of: "…", with: "").split(separator: " ")
            #expect(words.count <= IndexReader.snippetTokens)
            #expect(hit.snippet.hasPrefix(hit.type == .article ? "…we will rebuild every <mark>quay</mark>" : "we will rebuild every <mark>quay</mark>"))
            #expect(hit.snippet.hasSuffix("…"))
            #expect(hit.snippet.components(separatedBy: "<mark>").count == hit.snippet.components(separatedBy: "</mark>").count)
        }
        #expect(page.results.first { $0.articleId == "plain" }?.snippet == "A <mark>quay</mark> reopens", "FTS5's own snippet: the headline")
    }

    @Test func aWindowMarksTheQuerysWordsAroundTheFirstMatch() throws {
        let words = MatchWords(try SearchQuery("Quay \"north crane\" harb*"))
        let text = Array("one two three four five six seven eight the QUAY, the north cranes; harbours and harbor".utf8)
        #expect(words.count(in: text) == 4, "quay, north, harbours, harbor: crane is not cranes")
        #expect(words.window(of: text, tokens: 6) == "…the \u{2}QUAY\u{3}, the \u{2}north\u{3} cranes; \u{2}harbours\u{3}…")
        #expect(words.window(of: Array("nothing here".utf8), tokens: 6) == "")
    }
}
