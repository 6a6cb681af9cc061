import Foundation
import PageExtraction
import QuoteParser
import QuotewireModels
import Testing

/// Guards the body-text score on `../shared/corpora/html-dev` (400 real news pages with their
/// human-marked article text; third-party material, read in place): `quotewire parse`'s
/// `paragraphs` for each page, scored as `score_html.py` scores them.
@Suite("html-dev corpus")
struct HTMLDevCorpusTests {
    /// The figures reached (F1 0.975, precision 0.976, recall 0.974, no empty page), less a margin.
    static let minimumF1 = 0.965
    static let minimumPrecision = 0.96
    static let minimumRecall = 0.96

    struct GoldLine: Decodable {
        var page: String
        var articleBody: String
    }

    @Test(.enabled(if: TestSupport.htmlDevAvailableOrCI, "needs ../shared/corpora/html-dev"))
    func bodyTextScore() throws {
        let goldURL = TestSupport.htmlDev.appendingPathComponent("gold.jsonl")
        let lines = try String(contentsOf: goldURL, encoding: .utf8).split(separator: "\n")
        let decoder = JSONDecoder()
        let parser = QuoteParser()
        var scores: [BodyTextScore] = []
        var emptyPages: [String] = []
        for line in lines {
            let gold = try decoder.decode(GoldLine.self, from: Data(line.utf8))
            let bytes = try Data(contentsOf: TestSupport.htmlDev.appendingPathComponent("pages/\(gold.page).html"))
            let page = (try? TestSupport.extract(bytes: Array(bytes))) ?? PageExtractor.extract(String(decoding: bytes, as: UTF8.self))
            let article = parser.parse(body: page.paragraphs, metadata: page.metadata, articleId: gold.page)
            let score = BodyTextScore(gold: gold.articleBody, output: article.paragraphs.joined(separator: "\n"))
            if score.empty { emptyPages.append(gold.page) }
            scores.append(score)
        }
        let s = BodyTextScore.summary(scores)
        print("html-dev: f1=\(s.f1) precision=\(s.precision) recall=\(s.recall) empty=\(s.empty) pages=\(scores.count)")
        #expect(scores.count == 400)
        #expect(s.f1 >= Self.minimumF1)
        #expect(s.precision >= Self.minimumPrecision)
        #expect(s.recall >= Self.minimumRecall)
        #expect(emptyPages.isEmpty, "empty pages: \(emptyPages)")
    }

    /// The Swift metric gives the Python scorer's figures on texts whose tokens differ in the ways that matter.
    @Test func metricMatchesTheScorer() {
        let gold = "Zoë's café re-opened on 3 May_2026. “It’s back,” said Ana."
        #expect(BodyTextScore.tokens(gold) == ["Zoë", "s", "café", "re", "opened", "on", "3", "May_2026", "It", "s", "back", "said", "Ana"])
        let same = BodyTextScore(gold: gold, output: gold)
        #expect(same.precision == 1 && same.recall == 1 && !same.empty)
        let half = BodyTextScore(gold: "a b c d e f g h", output: "a b c d e x y z")
        #expect(half.tp == 0.25 && half.fp == 0.375 && half.fn == 0.375)
        #expect(BodyTextScore(gold: "a b c", output: " — ").empty)
        #expect(BodyTextScore(gold: "one two", output: "one two").precision == 1)
    }
}
