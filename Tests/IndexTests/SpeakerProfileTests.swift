import Foundation
import QuotewireIndex
import QuotewireModels
import Testing

/// What the web pages ask the index beyond the API's lists: one speaker's profile over every
/// shard, one speaker's quotations by the whole name, quotation ids, and the attribution rule.
@Suite struct SpeakerProfileTests {
    static func roled(_ text: String, by speaker: String, mention: String, role: String?, rule: String? = "cueAfter") -> Quotation {
        Quotation(text: text, speaker: speaker, speakerMention: mention, speakerRole: role, cue: "said", kind: .direct,
                  start: 0, end: text.unicodeScalars.count, attribution: rule)
    }

    static func seeded() async throws -> TemporaryFolder {
        let temp = try TemporaryFolder()
        try await Fixtures.write([
            Fixtures.article("p1", quotations: [roled("One", by: "Mark Rutte", mention: "Rutte", role: "NATO chief"),
                                                roled("Two", by: "Mark Rutte", mention: "he", role: nil)],
                             published: "2026-01-01T10:00:00Z", source: "Wire A"),
            Fixtures.article("p2", quotations: [roled("Three", by: "Mark Ruttenberg", mention: "Ruttenberg", role: "mayor")],
                             published: "2026-01-02T10:00:00Z", source: "Wire A"),
        ], into: temp.index, partition: 0)
        try await Fixtures.write([
            Fixtures.article("p3", quotations: [roled("Four", by: "Mark Rutte", mention: "Mark Rutte", role: "NATO chief", rule: nil)],
                             published: "2026-01-03T10:00:00Z", source: "Wire B"),
        ], into: temp.index, partition: 1)
        return temp
    }

    @Test func aSpeakersProfileAddsUpEveryShard() async throws {
        let temp = try await Self.seeded()
        let profile = try await Fixtures.reader(temp.index).speaker("mark RUTTE")
        #expect(profile.name == "Mark Rutte")
        #expect(profile.quotations == 3)
        #expect(profile.aliases.map(\.value) == ["Mark Rutte", "Rutte", "he"])
        #expect(profile.roles == [SearchFacets.Count(value: "NATO chief", count: 2)])
        #expect(profile.outlets == [SearchFacets.Count(value: "Wire A", count: 2), SearchFacets.Count(value: "Wire B", count: 1)])
        #expect(profile.days.map(\.value) == ["2026-01-01", "2026-01-03"])
        #expect(profile.days.map(\.count) == [2, 1])
        #expect(profile.partial == nil)
        await #expect(throws: IndexError.self) { try await Fixtures.reader(temp.index).speaker("Nobody Here") }
        await #expect(throws: IndexError.self) { try await Fixtures.reader(temp.index).speaker("  ") }
    }

    @Test func oneSpeakersQuotationsTakeTheWholeName() async throws {
        let temp = try await Self.seeded()
        let reader = Fixtures.reader(temp.index)
        let part = try await reader.quotations(speaker: "mark rutte")
        #expect(part.quotations.map(\.text) == ["Four", "Three", "Two", "One"], "a part of a name matches Ruttenberg too")
        let whole = try await reader.quotations(speaker: "mark rutte", exactSpeaker: true, limit: 2)
        #expect(whole.quotations.map(\.text) == ["Four", "Two"])
        let next = try await reader.quotations(speaker: "mark rutte", exactSpeaker: true, limit: 2, cursor: whole.nextCursor)
        #expect(next.quotations.map(\.text) == ["One"])
        // A cursor of the partial-name list is not one of the whole-name list.
        let other = try await reader.quotations(speaker: "mark rutte", limit: 2)
        await #expect(throws: IndexError.self) {
            try await reader.quotations(speaker: "mark rutte", exactSpeaker: true, limit: 2, cursor: other.nextCursor)
        }
    }

    @Test func quotationIdsNameTheQuotationInItsArticle() async throws {
        let temp = try await Self.seeded()
        let reader = Fixtures.reader(temp.index)
        let hits = try await reader.search("type:quotation", sort: .oldest).results
        #expect(hits.map { $0.quotationId ?? "" } == ["p1~0", "p1~1", "p2~0", "p3~0"])
        #expect(try await reader.quotations(speaker: "ruttenberg").quotations.map(\.quotationId) == ["p2~0"])
        let id = try QuotationID(parsing: "p1~1")
        #expect(id.articleId == "p1" && id.ordinal == 1 && id.description == "p1~1")
        for bad in ["p1", "p1~", "~1", "p1~-1", "p1~1x", "p1~999999", "../x~1", "p1~１"] {
            #expect(throws: IndexError.self, "\(bad)") { try QuotationID(parsing: bad) }
        }
        // The rule that attributed each quotation is kept.
        let stored = try await reader.article(id: "p1")
        #expect(stored.article.quotations.map(\.attribution) == ["cueAfter", "cueAfter"])
        #expect(try await reader.article(id: "p3").article.quotations.map(\.attribution) == [nil])
    }
}
