import ArgumentParser
import Foundation
import PageExtraction
import QuoteParser
import QuotewireModels

/// `quotewire-bench html-quotes`: on html-dev, the quotations the HTML path finds against those
/// the same pages' clean text gives (the annotators' headline and article text, a blank line
/// between paragraphs), with the same speaker; and, looser, with a speaker of the same surname
/// (the page's captions, which the clean text lacks, can name "Bush" in full as "George W. Bush").
struct HTMLQuotationsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "html-quotes",
        abstract: "html-dev: the text's quotations that the page's HTML gives too, with the same speaker.")

    @Option(help: "The html-dev folder (gold.jsonl, pages/).")
    var corpus: String = (ProcessInfo.processInfo.environment["QUOTEWIRE_SHARED"] ?? "../shared") + "/corpora/html-dev"

    @Flag(help: "List each quotation the HTML misses or attributes differently.")
    var verbose = false

    @Option(help: "Only these pages (comma-separated numbers, like 0011,0123).")
    var pages: String?

    struct GoldLine: Decodable {
        var page: String
        var headline: String?
        var articleBody: String
    }

    /// What the HTML gave of one text's quotations.
    struct Tally {
        var text = 0
        var same = 0
        var sameSurname = 0
        var otherSpeaker = 0
        var missing = 0
        var pagesWithQuotations = 0
        var pagesWithDifferences: [String] = []
    }

    func run() throws {
        let lines = try String(contentsOfFile: corpus + "/gold.jsonl", encoding: .utf8).split(separator: "\n")
        let decoder = JSONDecoder()
        let parser = QuoteParser()
        var tally = Tally()
        var htmlCount = 0
        var pageCount = 0
        for line in lines {
            let gold = try decoder.decode(GoldLine.self, from: Data(line.utf8))
            if let pages, !pages.split(separator: ",").contains(Substring(gold.page)) { continue }
            pageCount += 1
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: corpus + "/pages/\(gold.page).html")))
            let page = bytes.withUnsafeBufferPointer { b in
                (try? PageExtractor.extract(bytes: b)) ?? PageExtractor.extract(String(decoding: b, as: UTF8.self))
            }
            let fromHTML = parser.parse(body: page.paragraphs, metadata: page.metadata, articleId: gold.page)
            htmlCount += fromHTML.quotations.count
            let body = gold.articleBody.split(separator: "\n").map(String.init)
            let headline = [gold.headline].compactMap { $0 }
            compare(parser.parse((headline + body).joined(separator: "\n\n"), articleId: gold.page), fromHTML, gold.page, &tally)
        }
        print("html-dev, \(pageCount) pages; quotations from the HTML: \(htmlCount)")
        report(tally)
    }

    private func report(_ t: Tally) {
        print("  from the text (headline and article text): \(t.text) quotations on \(t.pagesWithQuotations) pages")
        print(String(format: "    the HTML gives %d with the same speaker (%.1f%%), %d more with a speaker of the same surname (%.1f%% in all);",
                     t.same, 100 * Double(t.same) / Double(max(t.text, 1)), t.sameSurname,
                     100 * Double(t.same + t.sameSurname) / Double(max(t.text, 1))))
        print("    \(t.otherSpeaker - t.sameSurname) with another speaker, \(t.missing) missing; pages with a difference: "
              + "\(t.pagesWithDifferences.count) (\(t.pagesWithDifferences.joined(separator: " ")))")
    }

    private func compare(_ fromText: ParsedArticle, _ fromHTML: ParsedArticle, _ name: String, _ t: inout Tally) {
        guard !fromText.quotations.isEmpty else { return }
        t.pagesWithQuotations += 1
        var html = fromHTML.quotations.map { (words: Self.words($0.text), speaker: Self.words($0.speaker ?? "")) }
        var differs = false
        for q in fromText.quotations {
            t.text += 1
            let key = Self.words(q.text)
            let speaker = Self.words(q.speaker ?? "")
            if let i = html.firstIndex(where: { $0.words == key && $0.speaker == speaker }) {
                t.same += 1
                html.remove(at: i)
            } else if let i = html.firstIndex(where: { $0.words == key }) {
                if Self.surname(html[i].speaker) == Self.surname(speaker) { t.sameSurname += 1 }
                t.otherSpeaker += 1
                differs = true
                if verbose { print("\(name) speaker \(q.speaker ?? "-") became \(html[i].speaker.isEmpty ? "-" : html[i].speaker): \(q.text.prefix(70))") }
                html.remove(at: i)
            } else {
                t.missing += 1
                differs = true
                if verbose { print("\(name) missing (\(q.speaker ?? "-")): \(q.text.prefix(70))") }
            }
        }
        if differs { t.pagesWithDifferences.append(name) }
    }

    static func surname(_ words: String) -> Substring? { words.split(separator: " ").last }

    /// Lower-cased letters and digits of each word, one space between: "far from over," is "far from over".
    static func words(_ s: String) -> String {
        s.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " ")
    }
}
