import Foundation
import QuoteParser
import QuotewireModels
import Testing

/// Pages written for these tests (`Fixtures/pages/`, fictional people and outlets) in the layouts scraped
/// wire copy comes in: a market wrap with section labels, link and promo lines between paragraphs, photo
/// credits glued to names, a hearing transcript with `MR.`/`MS.` labels, a debate with bare surnames and
/// a moderator, a Q&A interview. Furniture must never become a quotation, a speaker or text; what carries
/// data must land in its field.
@Suite("Scraped furniture pages")
struct FurniturePagesTests {
    private func load(_ name: String) throws -> (String, ParsedArticle) {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures/pages"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let article = TestSupport.parse(text)
        for q in article.quotations where !q.text.contains("\n") {
            #expect(TestSupport.slice(text, q.start, q.end) == q.text, "offsets of \(q.text)")
        }
        return (text, article)
    }

    /// No speaker and no paragraph may hold these.
    private func expectNoFurniture(_ a: ParsedArticle, _ words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for q in a.quotations {
            for w in words {
                #expect(!(q.speaker ?? "").localizedCaseInsensitiveContains(w), "speaker \(q.speaker ?? "")", sourceLocation: sourceLocation)
                #expect(!(q.speakerMention ?? "").localizedCaseInsensitiveContains(w), "mention \(q.speakerMention ?? "")",
                        sourceLocation: sourceLocation)
            }
        }
        for p in a.paragraphs {
            for w in words { #expect(!p.localizedCaseInsensitiveContains(w), "paragraph \(p)", sourceLocation: sourceLocation) }
        }
    }

    @Test func marketWrapLabelsAreHeadingsNotSpeakers() throws {
        let (_, a) = try load("wire-market-wrap")
        #expect(a.headline == "Stocks slide as freight talks stall; oil slips")
        #expect(a.byline == "MARGIT ELLANDER AP Business Writer")
        #expect(a.headings == ["KEEPING SCORE", "FREIGHT TALKS", "THE QUOTE", "ENERGY", "CURRENCIES", "U.S.-PACIFIC RELATIONS",
                               "BONDS", "ASIA"])
        #expect(!a.quotations.contains { $0.attribution == "transcriptLabel" })
        // The label's paragraph is plain prose, its own quotations found as usual.
        #expect(a.paragraphs.contains { $0.hasPrefix("The S&P 500 index fell 31 points") })
        #expect(a.paragraphs.contains { $0.hasPrefix("Benchmark crude oil fell 84 cents") })
        let deal = try #require(a.quotation("Both sides still want a deal"))
        #expect(deal.speaker == "Oskar Brandvik")
        let silence = try #require(a.quotation("Markets can live with slow talks"))
        #expect(silence.speaker == "Oskar Brandvik")
        #expect(a.quotations.count == 2)
        // The dateline and the copyright line are no text.
        #expect(a.paragraphs.first?.hasPrefix("Stocks fell on Wall Street on Tuesday") == true)
        expectNoFurniture(a, ["Copyright", "All rights reserved", "NEW YORK (AP)"])
    }

    @Test func linkAndPromoLinesAreDropped() throws {
        let (_, a) = try load("promo-lines")
        #expect(a.byline == "Tessa Quill · Global News")
        expectNoFurniture(a, ["READ MORE", "WATCH", "RELATED", "ADVERTISEMENT", "Story continues below", "Article Continued Below",
                              "Share this item", "Click here", "newsletter", "breaking National news", "Report an error",
                              "Corus", "Send this page", "Posted January", "Trending", "bypass", "Snowfall", "Editorial standards"])
        // A READ MORE headline's quotation is not the article's.
        #expect(a.quotation("no deal yet") == nil)
        #expect(a.quotation("We have studied this")?.speaker == "Ilona Varga")
        #expect(a.quotation("The numbers simply do not add up")?.speaker == "Brent Osei")
        // "she" after the page break resolves to the mayor, not to the page break.
        let she = try #require(a.quotation("The numbers add up if you count"))
        #expect(she.speaker == "Ilona Varga")
        #expect(a.quotations.count == 3)
        // A page break glued to the end of a paragraph is cut off; the paragraph stays text.
        #expect(a.paragraphs.contains("Osei said he would table an amendment to cut the line to four stops."))
        #expect(a.paragraphs.contains("The vote is set for Feb. 11."))
        #expect(a.paragraphs.first == "Riverside's city council will vote next month on whether to extend the east-end tram line, Mayor Ilona Varga said on Tuesday.")
        #expect(a.paragraphs.count == 7)
    }

    @Test func furnitureAboveTheHeadlineIsNoHeadline() throws {
        let url = try #require(Bundle.module.url(forResource: "promo-lines", withExtension: "txt", subdirectory: "Fixtures/pages"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let a = TestSupport.parse("Skip to content\nSign in\nWednesday, January 14, 2026\n\n" + text)
        #expect(a.headline == "Riverside council puts tram extension to a vote")
        #expect(a.quotation("We have studied this")?.speaker == "Ilona Varga")
        #expect(!a.paragraphs.contains { $0.contains("Skip to content") || $0.contains("January 14") })
    }

    @Test func creditsAreSeparatedFromNamesAndCaptionsLeaveTheBody() throws {
        let (_, a) = try load("credits-and-captions")
        #expect(a.caption == "Commissioner Harold Vance speaks to reporters in Halifax on Monday, Jan. 12, 2026.")
        #expect(a.photoCredit == "THE CANADIAN PRESS/Lena Moss")
        let faster = try #require(a.quotation("Our crews are faster"))
        #expect(faster.speaker == "Harold Vance")
        let average = try #require(a.quotation("An average does not help"))
        #expect(average.speaker == "Marguerite Doucet")
        let harbour = try #require(a.quotation("People deserve to see the numbers"))
        #expect(harbour.speaker == "Harold Vance")
        #expect(a.quotations.count == 3)
        #expect(a.paragraphs.contains { $0.hasPrefix("Harold Vance said on Monday that average response times") })
        #expect(a.paragraphs.contains { $0.hasPrefix("Marguerite Doucet, who speaks for a fishermen's association") })
        expectNoFurniture(a, ["Getty", "CANADIAN PRESS", "Lena Moss", "AP Photo", "Reuters", "Ivo Marsh", "With files from",
                              "first published", "A fishing boat sits"])
        #expect(a.paragraphs.first?.hasPrefix("The head of the coast guard says") == true)
    }

    @Test func hearingTranscriptWithTitledLabels() throws {
        let (_, a) = try load("hearing-transcript")
        let turns = a.quotations.filter { $0.attribution == "transcriptLabel" }
        #expect(turns.count == 7)
        #expect(a.quotation("Ms. Calder, when did you first learn")?.speaker == "Aldo Fenwick")
        #expect(a.quotation("We knew in November")?.speaker == "Ruth Calder")
        #expect(a.quotation("That is correct. We proposed working")?.speaker == "Simon Okoye")
        #expect(a.quotation("Both. Without the silt")?.speaker == "Ruth Calder")
        #expect(a.headings.isEmpty)
    }

    @Test func debateWithBareSurnamesAndAModerator() throws {
        let (_, a) = try load("debate-excerpt")
        let turns = a.quotations.filter { $0.attribution == "transcriptLabel" }
        #expect(turns.count == 6)
        #expect(a.quotation("The operator's fuel costs doubled")?.speaker == "Dana Hale")
        #expect(a.quotation("The subsidy went to the operator")?.speaker == "Victor Morrow")
        // A role is no one's name: the label is the mention only.
        let question = try #require(a.quotation("Senator, fares on the island ferries"))
        #expect(question.speaker == nil)
        #expect(question.speakerMention == "MODERATOR")
    }

    @Test func questionAndAnswerInterview() throws {
        let (_, a) = try load("interview-qa")
        let turns = a.quotations.filter { $0.attribution == "transcriptLabel" }
        #expect(turns.count == 4)
        let fines = try #require(a.quotation("Fines kept the people"))
        #expect(fines.speaker == nil)
        #expect(fines.speakerMention == "A")
        #expect(!a.quotations.contains { $0.speaker == "Q" || $0.speaker == "A" })
    }
}
