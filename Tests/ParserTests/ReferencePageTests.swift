import Foundation
import QuoteParser
import QuotewireModels
import Testing

/// The reference page (`../shared/samples/volkswacht-rutte-odesa.txt`), fact by fact.
/// The page is someone else's text: it is read from ../shared, never copied here.
@Suite("Reference page")
struct ReferencePageTests {
    // Skipped (reported) on a machine without ../shared; in CI a missing page fails.
    @Test(.enabled(if: TestSupport.referencePageAvailableOrCI, "needs ../shared/samples/volkswacht-rutte-odesa.txt"))
    func referencePageFacts() throws {
        let text = try String(contentsOf: TestSupport.referencePage, encoding: .utf8)
        let a = TestSupport.parse(text)

        #expect(a.source == "Volkswacht Bodensee")
        #expect(a.headline == "NATO's Rutte says US-led Ukraine peace talks 'not easy'")
        #expect(a.byline == "K.Sutter")
        #expect(a.caption == "NATO's Rutte says US-led Ukraine peace talks 'not easy'")
        #expect(a.photoCredit == "UKRAINIAN PRESIDENTIAL PRESS SERVICE/AFP")
        #expect(a.headings == ["'Acute' need for air defences"])
        #expect(!a.paragraphs.contains { $0.contains("Text size:") })
        #expect(!a.paragraphs.contains { $0.hasPrefix("NATO's Rutte says") })
        #expect(!a.paragraphs.contains { $0.contains("K.Sutter") || $0.contains("57.26") })
        #expect(a.paragraphs.first?.hasPrefix("NATO chief Mark Rutte said on Tuesday") == true)

        // All 16 market quotes, in order, under the exchange header.
        let expected: [(String, Double, Double)] = [
            ("RBGPF", 0.22, 63.59), ("CMSD", -0.14, 21.88), ("BCC", -1.11, 93.87), ("NGG", 2.24, 70.98),
            ("RIO", 0.44, 57.26), ("GSK", 1.12, 35.68), ("RELX", 2.7, 51.51), ("JRI", 2.23, 12.27),
            ("SCS", -2.81, 9.95), ("CMSC", -0.05, 21.8), ("AZN", -0.21, 67.87), ("RYCEF", 3.3, 9.7),
            ("BTI", 0.73, 42.32), ("VOD", 1.65, 9.11), ("BP", 1.1, 27.21), ("BCE", -1.93, 21.24),
        ]
        #expect(a.marketQuotes.count == 16)
        for (m, e) in zip(a.marketQuotes, expected) {
            #expect(m == MarketQuote(symbol: e.0, changePercent: e.1, price: e.2, currency: "USD", exchange: "NYSE - LSE"))
        }

        // Direct quotations with their speakers.
        let rutte = try #require(a.quotation("These discussions are not easy"))
        #expect(rutte.speaker == "Mark Rutte")
        #expect(rutte.speakerMention == "Rutte")
        #expect(rutte.speakerRole == "NATO chief")
        #expect(rutte.cue == "said")
        #expect(rutte.kind == .direct)
        let britain = try #require(a.quotation("Britain, France and other NATO countries"))
        #expect(britain.speaker == "Volodymyr Zelensky")
        #expect(britain.speakerMention == "he")
        #expect(britain.kind == .direct)
        let everyone = try #require(a.quotation("Absolutely everyone sees"))
        #expect(everyone.speaker == "Volodymyr Zelensky")
        #expect(everyone.speakerMention == "the Ukrainian leader")
        let army = try #require(a.quotation("Every Russian military unit"))
        // Organisations are reported without their article: "Ukrainian army".
        #expect(army.speaker == "Ukrainian army")
        #expect(army.speakerMention == "it")
        #expect(army.kind == .direct)

        // Partial quotations.
        for (text, speaker) in [("not easy", "Mark Rutte"), ("terrible pattern", "Mark Rutte"), ("emerging", "Steve Witkoff")] {
            let q = try #require(a.quotations.first { $0.text == text }, "missing \(text)")
            #expect(q.kind == .partial)
            #expect(q.speaker == speaker)
        }

        // Nothing else: the headline's 'not easy' once, no 'Acute'.
        #expect(a.quotations.count == 7)
        #expect(a.quotations.filter { $0.text == "not easy" }.count == 1)
        #expect(!a.quotations.contains { $0.text == "Acute" })

        // Offsets: the text at start..<end of the input is the quotation.
        for q in a.quotations {
            #expect(TestSupport.slice(text, q.start, q.end) == q.text)
        }
    }

    @Test func missingReferencePageIsReportedInCI() {
        // Documents the rule: in CI the reference page must be there.
        if TestSupport.inCI {
            #expect(TestSupport.sharedFileExists(TestSupport.referencePage), "CI needs ../shared/samples")
        }
    }
}
