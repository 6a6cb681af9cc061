import Foundation
import QuoteParser
import QuotewireModels
import Testing

/// Bad input gives a result (or a clear error) in bounded time, never a crash.
@Suite("Bad input")
struct RobustnessTests {
    @Test func emptyText() {
        let a = TestSupport.parse("")
        #expect(a.paragraphs.isEmpty && a.quotations.isEmpty && a.marketQuotes.isEmpty && a.headline == nil)
    }

    @Test func onlyWhitespace() {
        let a = TestSupport.parse("  \n\t\n\u{00A0}\u{2003}\r\n   ")
        #expect(a.paragraphs.isEmpty && a.quotations.isEmpty)
    }

    @Test func invalidUTF8IsReplaced() throws {
        var bytes = Array("\"We will win,\" said Anna Keller. ".utf8)
        bytes += [0xFF, 0xC3, 0x28, 0xE2, 0x80]
        let a = QuoteParser().parse(bytes: bytes, articleId: "x")
        let q = try #require(a.quotations.first)
        #expect(q.speaker == "Anna Keller")
        #expect(a.paragraphs.first?.contains("\u{FFFD}") == true)
    }

    @Test func nulBytes() {
        let text = "\"We\u{0}will win,\" said Anna\u{0} Keller.\u{0}\u{0}"
        let a = TestSupport.parse(text)
        #expect(a.quotations.count == 1)
        #expect(a.quotations.first.map { TestSupport.slice(text, $0.start, $0.end) } == a.quotations.first?.text)
    }

    @Test func textWithoutQuotations() {
        let a = TestSupport.parse("The council met on Monday.\n\nIt approved the budget without debate.")
        #expect(a.quotations.isEmpty)
        #expect(a.paragraphs.count >= 1)
    }

    @Test func tenThousandUnbalancedQuoteMarks() {
        for mark in ["\"", "“", "'", "‘", "„", "«", "”", "’"] {
            let text = "Start " + String(repeating: mark + "word ", count: 10_000)
            let a = TestSupport.parse(text)
            #expect(a.quotations.count <= 10_000)
            for q in a.quotations.prefix(50) { #expect(TestSupport.slice(text, q.start, q.end) == q.text) }
        }
        let opens = String(repeating: "“", count: 10_000) + " said Keller."
        #expect(TestSupport.parse(opens).quotations.isEmpty)
    }

    @Test func twentyMegabyteArticle() {
        let narrative = String(repeating: "The river rose by two metres overnight and residents were moved to higher ground. ", count: 12)
        let quote = "\"We are doing everything we can,\" said Mayor Lena Novak."
        var parts: [String] = []
        var size = 0
        var quotes = 0
        while size < 20_000_000 {
            let p = parts.count % 50 == 0 ? quote : narrative
            if p == quote { quotes += 1 }
            parts.append(p)
            size += p.utf8.count + 2
        }
        let text = parts.joined(separator: "\n\n")
        let clock = ContinuousClock()
        let started = clock.now
        let a = TestSupport.parse(text)
        // Linear, not quadratic: a generous bound even for a debug build on a busy machine.
        #expect(clock.now - started < .seconds(600))
        #expect(a.quotations.count == quotes)
        #expect(a.quotations.last?.speaker == "Lena Novak")
    }

    @Test func longLinesAndManyParagraphs() {
        let text = String(repeating: "word ", count: 200_000) + "\n\n" + String(repeating: "A.\n\n", count: 50_000)
        let a = TestSupport.parse(text)
        #expect(a.quotations.isEmpty)
    }

    @Test func unclosedQuotationAtTheEnd() {
        let a = TestSupport.parse("He said \"this never ends")
        #expect(a.quotations.isEmpty)
    }
}
