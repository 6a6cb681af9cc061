import Foundation
import PageExtraction
import QuoteParser
import QuotewireModels

/// Paths and helpers shared by the page extraction tests.
enum TestSupport {
    /// The repository root (two folders above this file's folder).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `../shared/corpora/html-dev`: third-party pages, read in place, never copied.
    static let htmlDev = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora/html-dev")

    /// In CI (`CI=true`) a missing corpus is a failure; elsewhere the test is skipped.
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    static var htmlDevAvailableOrCI: Bool {
        inCI || FileManager.default.fileExists(atPath: htmlDev.appendingPathComponent("gold.jsonl").path)
    }

    static func extract(_ html: String) -> ExtractedPage { PageExtractor.extract(html) }

    static func extract(bytes: [UInt8], contentType: String? = nil) throws -> ExtractedPage {
        try bytes.withUnsafeBufferPointer { b throws(PageDecodingError) in try PageExtractor.extract(bytes: b, contentType: contentType) }
    }

    /// One of this target's own pages (`Pages/`).
    static func page(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Pages") else {
            throw MissingPage(name: name)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    struct MissingPage: Error { var name: String }

    /// A page around an article body, the way most sites wrap one.
    static func wrapped(_ body: String, head: String = "<title>Quarry plan | The Valley Courier</title>") -> String {
        """
        <!DOCTYPE html><html><head><meta charset="utf-8">\(head)</head><body>
        <div class="masthead"><a href="/">The Valley Courier</a></div>
        <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
        <div id="wrap"><div class="main">\(body)</div>
        <div class="sidebar"><h3>Most read</h3><ul><li><a href="/1">Floods close the river road</a></li><li><a href="/2">School wins robot contest</a></li></ul></div></div>
        <div class="footer">© The Valley Courier, a fictional paper. <a href="/terms">Terms</a> <a href="/privacy">Privacy</a></div>
        </body></html>
        """
    }

    /// Four paragraphs of a fictional article about a quarry.
    static let quarryParagraphs = [
        "The district council voted on Tuesday to reopen the old quarry above Millbrook, ending a dispute that has divided the valley for six years.",
        "\"We have listened to every objection, and this plan answers them,\" said council leader Amira Haddad after the vote, which passed by nine votes to four.",
        "Residents on the ridge say the lorries will use a lane that passes the primary school, and they have asked for a weight limit before work begins.",
        "The operator, Fenwick Stone, said it would build a new access road within two years and fund a crossing patrol until then.",
    ]

    static var quarryBody: String { quarryParagraphs.map { "<p>\($0)</p>" }.joined(separator: "\n") }
}
