import Foundation
import PageExtraction
import QuoteParser
import QuotewireModels
import Testing

/// `QuoteParser.parse(body:metadata:)`: the page's metadata wins over the layout's guesses,
/// and the body goes through the text pipeline.
@Suite("Parsing a page's article")
struct PageParseTests {
    @Test func metadataFillsTheArticle() throws {
        let metadata = PageMetadata(
            headline: "Council votes to reopen quarry", outlet: "The Valley Courier", byline: "Ines Mabry",
            publishedAt: Date(timeIntervalSince1970: 1_775_581_500), canonicalURL: "https://valley-courier.example/q",
            captions: ["The old quarry above Millbrook / Photo: © VALLEY COURIER"])
        let body = ["Short first paragraph without a stop", "\"We have listened,\" said council leader Amira Haddad."]
        let article = QuoteParser().parse(body: body, metadata: metadata, articleId: "a")
        #expect(article.headline == "Council votes to reopen quarry")
        #expect(article.source == "The Valley Courier")
        #expect(article.byline == "Ines Mabry")
        #expect(article.caption == "The old quarry above Millbrook")
        #expect(article.photoCredit == "VALLEY COURIER")
        #expect(article.url == "https://valley-courier.example/q")
        #expect(article.publishedAt == metadata.publishedAt)
        #expect(article.paragraphs == body, "a short first paragraph is not taken for a headline when the page names one")
        let q = try #require(article.quotations.first)
        #expect(q.speaker == "Amira Haddad")
        let text = QuoteParser.pageText(body: body, metadata: metadata)
        #expect(TestSupport.slice(text, q.start, q.end) == q.text)
        // What the submitter said wins over the page.
        let given = QuoteParser().parse(body: body, metadata: metadata, articleId: "a", url: "https://example.org/given",
                                        publishedAt: Date(timeIntervalSince1970: 0))
        #expect(given.url == "https://example.org/given")
        #expect(given.publishedAt == Date(timeIntervalSince1970: 0))
    }

    @Test func headlineQuotationIsFoundOnce() {
        let metadata = PageMetadata(headline: "Mayor vows to 'finish the tramline'")
        let body = ["\"We will finish the tramline, and on budget,\" said Mayor Grace Okafor on Thursday."]
        let article = QuoteParser().parse(body: body, metadata: metadata, articleId: "t")
        #expect(article.quotations.contains { $0.text.hasPrefix("We will finish the tramline") && $0.speaker == "Grace Okafor" })
        #expect(article.quotations.filter { $0.text == "finish the tramline" }.count == 1)
    }

    @Test func withoutAHeadlineTheLayoutGuesses() {
        let article = QuoteParser().parse(body: ["Daily Meridian - Storm hits coast", "Storm hits coast", "The storm hit at dawn."],
                                          metadata: PageMetadata(), articleId: "g")
        #expect(article.source == "Daily Meridian")
        #expect(article.headline == "Storm hits coast")
        #expect(article.paragraphs == ["The storm hit at dawn."])
    }
}

extension TestSupport {
    /// The text at `start..<end` (Unicode-scalar offsets) of `text`.
    static func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        guard start >= 0, end <= scalars.count, start <= end else { return "<out of range>" }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[start..<end])
        return String(s)
    }
}
