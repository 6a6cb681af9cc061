import Foundation
import QuotewireModels
import Testing
@testable import QuotewireIndex

/// The search language against a fixed two-shard index: what each query must return, the
/// orders, paging in each order, and facets counted against the fixture itself.
@Suite("Search language on an index")
struct SearchLanguageTests {
    /// Four articles from two outlets on four days, with quotations by three speakers and two
    /// market quotes; `a1`, `a3` in shard 0 and `a2`, `a4` in shard 1.
    static let articles: [ParsedArticle] = [
        Fixtures.article(
            "a1", headline: "Zelensky asks for missiles", paragraphs: ["Kyiv wants air defence and missiles."],
            quotations: [Fixtures.quote("We need missiles now", by: "Volodymyr Zelensky")],
            quotes: [Fixtures.ticker("RIO", 57.26)], published: "2026-03-01T09:00:00Z", source: "Volkswacht"),
        Fixtures.article(
            "a2", headline: "Talks in Odesa", paragraphs: ["New air defence systems arrive."],
            quotations: [Fixtures.quote("Air defence saves lives", by: "Mark Rutte")],
            published: "2026-03-02T09:00:00Z", source: "Harbour Post"),
        Fixtures.article(
            "a3", headline: "Port reopens", paragraphs: ["Grain ships sail from the port; no missiles today."],
            quotations: [Fixtures.quote("The port is open", by: "Oleh Kiper")],
            quotes: [Fixtures.ticker("BHP", 40.1)], published: "2026-03-03T09:00:00Z", source: "Volkswacht"),
        Fixtures.article(
            "a4", headline: "Zelensky meets Rutte", paragraphs: ["They discussed drones."],
            quotations: [Fixtures.quote("Drones matter", by: "Volodymyr Zelensky"),
                         Fixtures.quote("We stand with Ukraine", by: "Mark Rutte")],
            published: "2026-02-10T09:00:00Z", source: "Harbour Post"),
    ]

    static func index() async throws -> TemporaryFolder {
        let temp = try TemporaryFolder()
        try await Fixtures.write([articles[0], articles[2]], into: temp.index, partition: 0)
        try await Fixtures.write([articles[1], articles[3]], into: temp.index, partition: 1)
        return temp
    }

    /// A query and the hits it must return, as `article:ID` and `quotation:ID` (the article the
    /// quotation is in, with the first words of its text).
    static let cases: [(String, Set<String>)] = [
        (#"zelensky AND (missiles OR "air defence")"#, ["article:a1", "quotation:a1:We need"]),
        ("missiles -port", ["article:a1", "quotation:a1:We need"]),
        ("missiles NOT port", ["article:a1", "quotation:a1:We need"]),
        ("missiles", ["article:a1", "article:a3", "quotation:a1:We need"]),
        (#""air defence" type:article"#, ["article:a1", "article:a2"]),
        (#""air defence" type:quotation"#, ["quotation:a2:Air defence"]),
        ("speaker:rutte", ["article:a2", "article:a4", "quotation:a2:Air defence", "quotation:a4:We stand"]),
        ("speaker:rutte type:quotation", ["quotation:a2:Air defence", "quotation:a4:We stand"]),
        ("speaker:zelensky speaker:kiper type:quotation",
         ["quotation:a1:We need", "quotation:a4:Drones matter", "quotation:a3:The port"]),
        ("source:volkswacht", ["article:a1", "article:a3", "quotation:a1:We need", "quotation:a3:The port"]),
        (#"source:"harbour post" drones"#, ["article:a4", "quotation:a4:Drones matter"]),
        ("ticker:rio", ["article:a1", "quotation:a1:We need"]),
        ("since:2026-03-02 type:article", ["article:a2", "article:a3"]),
        ("until:2026-03-02 type:article", ["article:a1", "article:a2", "article:a4"]),
        ("since:2026-03-01 until:2026-03-01 type:article", ["article:a1"]),
        ("since:2026-03-01T10:00:00Z until:2026-03-02T10:00:00Z", ["article:a2", "quotation:a2:Air defence"]),
        ("port*", ["article:a3", "quotation:a3:The port"]),
        ("(zelensky OR rutte) type:article", ["article:a1", "article:a4"]),
        ("zelensky -(missiles OR drones) type:article", []),
        (#"source:volkswacht source:"harbour post" type:article"#, ["article:a1", "article:a2", "article:a3", "article:a4"]),
        ("missiles or drones", []),
    ]

    static func label(_ hit: SearchHit) -> String {
        hit.type == .article ? "article:\(hit.articleId)"
            : "quotation:\(hit.articleId):" + (hit.text ?? "").split(separator: " ").prefix(2).joined(separator: " ")
    }

    @Test func eachQueryReturnsItsResults() async throws {
        let temp = try await Self.index()
        let reader = Fixtures.reader(temp.index)
        for (text, expected) in Self.cases {
            let page = try await reader.search(text, limit: 100)
            #expect(Set(page.results.map(Self.label)) == expected, "\(text)")
            #expect(page.results.count == expected.count, "\(text): a hit twice")
        }
    }

    @Test func newestAndOldestOrderByPublicationAndPageInThatOrder() async throws {
        let temp = try await Self.index()
        let reader = Fixtures.reader(temp.index)
        let byDate = Self.articles.sorted { ($0.publishedAt ?? .distantPast) < ($1.publishedAt ?? .distantPast) }.map(\.articleId)
        #expect(try await reader.search("type:article", sort: .oldest).results.map(\.articleId) == byDate)
        #expect(try await reader.search("type:article", sort: .newest).results.map(\.articleId) == byDate.reversed())
        // A query of filters alone has nothing to rank: newest first.
        #expect(try await reader.search("type:article").results.map(\.articleId) == byDate.reversed())

        // One at a time, the cursor keeps the order; it is refused for another order.
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await reader.search("type:article", limit: 1, cursor: cursor, sort: .oldest)
            seen += page.results.map(\.articleId)
            cursor = page.nextCursor
            if let cursor {
                await #expect(throws: IndexError.self) { try await reader.search("type:article", limit: 1, cursor: cursor, sort: .newest) }
            }
        } while cursor != nil
        #expect(seen == byDate)
    }

    @Test func relevanceRanksTheBetterMatchFirst() async throws {
        let temp = try await Self.index()
        let reader = Fixtures.reader(temp.index)
        // a1 says missiles in its headline and body; a3 once in its body.
        let page = try await reader.search("missiles type:article")
        #expect(page.results.map(\.articleId) == ["a1", "a3"])
        #expect(page.results[0].score > page.results[1].score)
    }

    @Test(arguments: ["type:quotation", "source:volkswacht", "air OR drones", "speaker:rutte", "since:2026-03-02"])
    func facetsCountEveryResultBySpeakerOutletAndDay(_ text: String) async throws {
        let temp = try await Self.index()
        let reader = Fixtures.reader(temp.index)
        let page = try await reader.search(text, limit: 1, facets: true)
        let facets = try #require(page.facets)

        // The same counts, made from every result paged through and the fixture articles.
        var all: [SearchHit] = []
        var cursor: String?
        repeat {
            let next = try await reader.search(text, limit: 100, cursor: cursor)
            all += next.results
            cursor = next.nextCursor
        } while cursor != nil
        #expect(facets.total == all.count)
        func counts(_ values: [String?]) -> [String: Int] {
            values.compactMap { $0 }.reduce(into: [:]) { $0[$1, default: 0] += 1 }
        }
        let day = { (hit: SearchHit) -> String? in
            (hit.publishedAt ?? hit.receivedAt).map { String(ISO8601DateFormatter().string(from: $0).prefix(10)) }
        }
        #expect(Dictionary(uniqueKeysWithValues: facets.speakers.map { ($0.value, $0.count) }) == counts(all.map(\.speaker)))
        #expect(Dictionary(uniqueKeysWithValues: facets.sources.map { ($0.value, $0.count) }) == counts(all.map(\.source)))
        #expect(Dictionary(uniqueKeysWithValues: facets.days.map { ($0.value, $0.count) }) == counts(all.map(day)))
        #expect(facets.days.map(\.value) == facets.days.map(\.value).sorted(), "days run oldest first")
        #expect(facets.speakers.map(\.count) == facets.speakers.map(\.count).sorted(by: >), "speakers most first")
        #expect(!all.isEmpty)
    }

    @Test func quotationListsPageWithACursorInNewestOrder() async throws {
        let temp = try await Self.index()
        let reader = Fixtures.reader(temp.index)
        let whole = try await reader.quotations(limit: 100)
        #expect(whole.nextCursor == nil)
        #expect(whole.quotations.count == 5)
        var paged: [QuotationItem] = []
        var cursor: String?
        repeat {
            let page = try await reader.quotations(limit: 2, cursor: cursor)
            paged += page.quotations
            cursor = page.nextCursor
        } while cursor != nil
        #expect(paged == whole.quotations)
        // A cursor belongs to its parameters.
        let first = try #require(try await reader.quotations(limit: 1).nextCursor)
        await #expect(throws: IndexError.self) { try await reader.quotations(speaker: "rutte", limit: 1, cursor: first) }
        await #expect(throws: IndexError.self) { try await reader.quotations(limit: 1, cursor: "bm90IGEgY3Vyc29y") }
    }
}
