import ArticleIntake
import Foundation
import QuotewireModels
import Testing

/// HTML pages as ingest and `quotewire publish` take them: told by content as well as by media
/// type and file name, read in the charset they name, refused when they cannot be read or show
/// no text.
@Suite struct ArticleSubmissionHTMLTests {
    let page = "<!DOCTYPE html><html><head><title>Harbour talks</title></head><body><p>“We have agreed,” said Helena Brenner.</p></body></html>"

    @Test func htmlIsToldByContent() throws {
        // Plain text that is a page, by its content: a text body, a .txt file, a JSON "text".
        #expect(try ArticleSubmission(mediaType: "text/plain").article(from: Array(page.utf8)).contentType == .html)
        #expect(ArticleSubmission.form(ofFileNamed: "scraped.txt") == .text)
        #expect(try ArticleSubmission(form: .text).article(from: Array(("\n<!-- saved -->\n" + page).utf8)).contentType == .html)
        let json = try JSONSerialization.data(withJSONObject: ["text": page])
        #expect(try ArticleSubmission(form: .json).article(from: Array(json)).contentType == .html)
        // Text stays text.
        let text = "Plain <b>text</b>: “We have agreed,” said Helena Brenner."
        let article = try ArticleSubmission(form: .text).article(from: Array(text.utf8))
        #expect(article.contentType == .plainText && article.body == text)
    }

    @Test func htmlIsReadInItsCharset() throws {
        let latin = "<html><head><title>Café</title></head><body><p>Zoë’s café reopened – “at last”.</p></body></html>"
        let bytes = try #require(latin.data(using: .windowsCP1252))
        // Named by the content type.
        let byType = try ArticleSubmission(mediaType: "text/html; charset=windows-1252").article(from: Array(bytes))
        #expect(byType.body == latin, "stored as UTF-8")
        // Named by the page.
        let withMeta = latin.replacingOccurrences(of: "<head>", with: "<head><meta charset=\"windows-1252\">")
        let metaBytes = try #require(withMeta.data(using: .windowsCP1252))
        #expect(try ArticleSubmission(form: .html).article(from: Array(metaBytes)).body == withMeta)
        // Valid UTF-8 stays UTF-8 whatever the page says.
        let utf8 = latin.replacingOccurrences(of: "<head>", with: "<head><meta charset=\"iso-8859-1\">")
        #expect(try ArticleSubmission(form: .html).article(from: Array(utf8.utf8)).body == utf8)
    }

    /// A page whose script renders the article still has it in its structured data: accepted.
    @Test func aPageRenderedByScriptIsAccepted() throws {
        let rendered = """
            <html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Talks resume",
            "articleBody": "Harbour talks resumed on Monday after a week of silence, both sides said in a joint statement."}</script>
            </head><body><div id="app"></div></body></html>
            """
        #expect(try ArticleSubmission(form: .html).article(from: Array(rendered.utf8)).contentType == .html)
    }

    @Test func pagesThatCannotBeReadAreRefused() {
        let latin = Array("<html><body><p>Caf".utf8) + [0xE9] + Array(" au lait</p></body></html>".utf8)
        #expect { try ArticleSubmission(form: .html).article(from: latin) } throws: {
            ($0 as? SubmissionError)?.kind == .invalidUTF8
        }
        #expect { try ArticleSubmission(mediaType: "text/html; charset=x-unknown").article(from: latin) } throws: {
            ($0 as? SubmissionError)?.kind == .unsupportedMediaType
        }
        #expect { try ArticleSubmission(form: .html).article(from: Array("<html><head><title>T</title></head><body></body></html>".utf8)) } throws: {
            ($0 as? SubmissionError)?.kind == .empty
        }
        // Other forms still take UTF-8 only.
        #expect(throws: SubmissionError.self) { try ArticleSubmission(mediaType: "text/plain; charset=iso-8859-1") }
    }
}
