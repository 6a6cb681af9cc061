import Foundation
import QuoteParser
import QuotewireModels
import Testing

/// The project's own sample pages in `samples/` (fictional outlets, people and tickers).
@Suite("Own sample pages")
struct OwnSamplePagesTests {
    private func load(_ name: String) throws -> (String, ParsedArticle) {
        let url = TestSupport.repoRoot.appendingPathComponent("samples/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        let article = TestSupport.parse(text)
        for q in article.quotations where !q.text.contains("\n") {
            #expect(TestSupport.slice(text, q.start, q.end) == q.text, "offsets of \(q.text)")
        }
        return (text, article)
    }

    @Test func harbourLedger() throws {
        let (text, a) = try load("harbour-ledger-tariff-talks.txt")
        #expect(a.source == "Harbour Ledger")
        #expect(a.headline == "Trade envoy Brenner says tariff talks 'far from over'")
        #expect(a.byline == "R.Okonjo")
        #expect(a.photoCredit == "HARBOUR LEDGER/STAFF")
        #expect(a.headings == ["'A long road' ahead"])
        #expect(a.marketQuotes == [
            MarketQuote(symbol: "KLMX", changePercent: 1.25, price: 48.30, currency: "USD", exchange: "NYSE - LSE"),
            MarketQuote(symbol: "TRVQ", changePercent: -0.87, price: 112.05, currency: "USD", exchange: "NYSE - LSE"),
            MarketQuote(symbol: "ORBN", changePercent: 2.10, price: 1204.50, currency: "USD", exchange: "NYSE - LSE"),
            MarketQuote(symbol: "PLTW", changePercent: -0.40, price: 9.85, currency: "USD", exchange: "NYSE - LSE"),
        ])
        let far = try #require(a.quotations.first { $0.text == "far from over" })
        #expect(far.speaker == "Helena Brenner")
        #expect(far.speakerRole == "Trade envoy")
        #expect(far.kind == .partial)
        #expect(a.quotations.filter { $0.text == "far from over" }.count == 1)
        #expect(a.quotation("premature celebration")?.speaker == "Helena Brenner")
        #expect(a.quotation("We have agreed on an outline")?.speaker == "Helena Brenner")
        // Split by its attribution: two quotations, same speaker.
        let lanes = try #require(a.quotation("The shipping lanes matter"))
        let paper = try #require(a.quotation("Without them, the rest is paper."))
        #expect(lanes.speaker == "Helena Brenner")
        #expect(lanes.speakerMention == "she")
        #expect(paper.speaker == "Helena Brenner")
        // Over two paragraphs: one quotation, attributed by description.
        let members = try #require(a.quotation("Our members have waited three years"))
        #expect(members.text.contains("They will not wait another three years"))
        #expect(members.speaker == "Marta Ilves")
        #expect(members.speakerMention == "the veteran unionist")
        #expect(TestSupport.slice(text, members.start, members.start + 11) == "Our members")
        #expect(TestSupport.slice(text, members.end - 6, members.end) == "years,")
        #expect(!a.quotations.contains { $0.text.hasPrefix("They will not wait") })
        // An organisation speaks.
        let vessel = try #require(a.quotation("Every vessel that arrives"))
        #expect(vessel.speaker == nil)
        #expect(vessel.speakerRole == "port authority")
        #expect(vessel.speakerMention == "it")
        #expect(!a.quotations.contains { $0.text == "A long road" })
        #expect(a.quotations.count == 7)
    }

    @Test func alpenstadtEcho() throws {
        let (_, a) = try load("alpenstadt-echo-pension-reform.txt")
        #expect(a.source == "Alpenstadt Echo")
        #expect(a.byline == "L.Brandt")
        #expect(a.marketQuotes.count == 4)
        #expect(a.marketQuotes.allSatisfy { $0.currency == "EUR" && $0.exchange == "XETRA - EURONEXT" })
        #expect(a.marketQuotes.first { $0.symbol == "BMWQ" }?.changePercent == -1.2)
        #expect(a.marketQuotes.first { $0.symbol == "LVMX" }?.price == 712.8)
        #expect(!a.paragraphs.contains { $0.hasPrefix("Share this") })
        #expect(a.quotation("overdue")?.speaker == "Jonas Vogt")
        // German „…“ and ‚…‘, French « … ».
        let german = try #require(a.quotation("Wir haben lange genug gewartet."))
        #expect(german.text == "Wir haben lange genug gewartet. Die Reform kommt jetzt")
        #expect(german.speaker == "Jonas Vogt")
        #expect(german.cue == "told")
        let start = try #require(a.quotation("a good start"))
        #expect(start.speaker == "Petra Lang")
        #expect(start.speakerRole == "Union chair")
        let french = try #require(a.quotation("Nous sommes prêts"))
        #expect(french.text == "Nous sommes prêts à travailler avec Berlin sur ce dossier")
        #expect(french.speaker == "Claire Dumas")
        #expect(french.speakerRole == "French labour minister")
        let reiss = try #require(a.quotation("This is a reform"))
        #expect(reiss.speaker == "Anton Reiss")
        #expect(reiss.speakerMention == "he")
        #expect(a.quotations.count == 5)
    }

    @Test func northgateGazette() throws {
        let (_, a) = try load("northgate-gazette-tramline.txt")
        #expect(a.source == "Northgate Gazette")
        #expect(a.byline == "P.Hale")
        #expect(a.marketQuotes == [
            MarketQuote(symbol: "NGRL", changePercent: 0.90, price: 12.45, currency: "GBP", exchange: "LSE"),
            MarketQuote(symbol: "THMW", changePercent: -2.15, price: 310.00, currency: "GBX", exchange: "LSE"),
            MarketQuote(symbol: "BRKS", changePercent: 1.05, price: 1050.25, currency: "GBP", exchange: "LSE"),
        ])
        let okafor = try #require(a.quotation("We will finish the tramline"))
        #expect(okafor.speaker == "Grace Okafor")
        #expect(okafor.speakerRole == "Mayor")
        let contractors = try #require(a.quotation("The contractors have been paid"))
        #expect(contractors.speaker == "Daniel Whitcombe")
        #expect(contractors.speakerRole?.hasPrefix("spokesman") == true)
        // Split quotation and a quotation paragraph without attribution continue the speaker.
        #expect(a.quotation("We want an audit")?.speaker == "Daniel Whitcombe")
        #expect(a.quotation("An independent review")?.speaker == "Daniel Whitcombe")
        let ambler = try #require(a.quotation("the budget has enough headroom"))
        #expect(ambler.speaker == "Ruth Ambler")
        #expect(ambler.cue?.lowercased() == "according to")
        // '90s is an apostrophe; a nickname without a speech cue is not speech.
        #expect(!a.quotations.contains { $0.text.contains("90s") })
        #expect(!a.quotations.contains { $0.text == "longest-running joke" })
        // The headline's quotation is someone's words too, found once.
        #expect(a.quotations.filter { $0.text == "finish the tramline" }.count == 1)
    }
}
