import Foundation
import PageExtraction
import QuoteParser
import QuotewireModels
import Testing

/// The project's own sample pages (`samples/*.txt`) written again as web pages (`Pages/*.html`:
/// a modern page with comments and a cookie banner, a JSON-LD page in windows-1252, a table
/// page inside an ASP.NET form): the HTML gives the quotations the text gives, with the same speakers.
@Suite("Own sample pages as HTML")
struct OwnSamplePagesAsHTMLTests {
    struct Sample: Sendable, CustomStringConvertible {
        var name: String
        var charset: String.Encoding
        var outlet: String
        var headline: String
        var description: String { name }
    }

    static let samples = [
        Sample(name: "harbour-ledger-tariff-talks", charset: .utf8, outlet: "Harbour Ledger",
               headline: "Trade envoy Brenner says tariff talks 'far from over'"),
        Sample(name: "alpenstadt-echo-pension-reform", charset: .windowsCP1252, outlet: "Alpenstadt Echo",
               headline: "Finance minister Vogt calls pension plan 'overdue'"),
        Sample(name: "northgate-gazette-tramline", charset: .utf8, outlet: "Northgate Gazette",
               headline: "Mayor Okafor vows to 'finish the tramline'"),
    ]

    @Test(arguments: samples)
    func sameQuotationsAsTheText(_ sample: Sample) throws {
        let text = try String(contentsOf: TestSupport.repoRoot.appendingPathComponent("samples/\(sample.name).txt"), encoding: .utf8)
        let fromText = QuoteParser().parse(text, articleId: sample.name)
        let html = try TestSupport.page("\(sample.name).html")
        let bytes = try #require(html.data(using: sample.charset))
        let page = try TestSupport.extract(bytes: Array(bytes))
        let fromHTML = QuoteParser().parse(body: page.paragraphs, metadata: page.metadata, articleId: sample.name)

        #expect(fromHTML.source == sample.outlet)
        #expect(fromHTML.headline == sample.headline)
        #expect(!fromText.quotations.isEmpty)
        func key(_ q: Quotation) -> String { "\(q.text) | \(q.speaker ?? "-")" }
        #expect(fromHTML.quotations.map(key).sorted() == fromText.quotations.map(key).sorted())
        let pageText = QuoteParser.pageText(body: page.paragraphs, metadata: page.metadata)
        for q in fromHTML.quotations where !q.text.contains("\n") {
            #expect(TestSupport.slice(pageText, q.start, q.end) == q.text, "offsets of \(q.text)")
        }
    }

    @Test func theModernPageKeepsItsMetadata() throws {
        let page = TestSupport.extract(try TestSupport.page("harbour-ledger-tariff-talks.html"))
        #expect(page.metadata.byline == "R. Okonjo")
        #expect(page.metadata.canonicalURL == "https://harbour-ledger.example/trade/brenner-tariff-talks")
        #expect(page.metadata.publishedAt == Date(timeIntervalSince1970: 1_772_439_300))
        #expect(page.metadata.captions == ["Trade envoy Brenner says tariff talks 'far from over' / Photo: © HARBOUR LEDGER/STAFF"])
        #expect(!page.paragraphs.contains { $0.contains("cookies") || $0.contains("night shift") || $0.contains("Advertisement") })
    }
}
