import ArticleIntake
import Foundation
import QuotewireModels
import Testing

/// The JSON article form, read by the byte-level object reader: what it takes, what it
/// refuses, and that it agrees with Foundation's decoder on what both accept.
@Suite struct ArticleJSONRequestTests {
    @Test func readsTheStringFieldsAndSkipsTheRest() throws {
        let body = #"{"id": 7, "text": "Caf\u00e9 owners said \"no\".", "url": null, "source": "The Ledger", "tags": ["a", {"b": [1, 2.5e3, true]}], "publishedAt": "2026-01-02T03:04:05Z"}"#
        let request = try ArticleJSONRequest.decode(Array(body.utf8))
        #expect(request.text == "Café owners said \"no\".")
        #expect(request.html == nil && request.url == nil, "null counts as absent")
        #expect(request.source == "The Ledger" && request.publishedAt == "2026-01-02T03:04:05Z")

        // The same fields as Foundation reads them.
        struct Fields: Decodable, Equatable { var text: String?; var url: String?; var source: String?; var publishedAt: String? }
        let foundation = try JSONDecoder().decode(Fields.self, from: Data(body.utf8))
        #expect(Fields(text: request.text, url: request.url, source: request.source, publishedAt: request.publishedAt) == foundation)
    }

    @Test func aByteOrderMarkBeforeTheObjectIsSkipped() throws {
        let request = try ArticleJSONRequest.decode([0xEF, 0xBB, 0xBF] + Array(#"{"text": "x"}"#.utf8))
        #expect(request.text == "x")
    }

    @Test(arguments: [
        (#"{"text": 5}"#, #""text" must be a string"#),
        (#"{"text": "a", "url": ["x"]}"#, #""url" must be a string"#),
        (#"{"text": "\ud800 alone"}"#, "unpaired surrogate"),
        (#"{"text": "a"} {"text": "b"}"#, "trailing characters"),
        (#"["text"]"#, "expected '{'"),
        (#"{"text": "open"#, "unterminated string"),
    ])
    func badObjectsAreRefusedWithTheReason(_ body: String, _ reason: String) {
        do {
            _ = try ArticleJSONRequest.decode(Array(body.utf8))
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.kind == .invalidJSON)
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func anIDIsReadOnlyWhenTheSubmissionAcceptsOne() throws {
        let body = Array(#"{"id": "reuters-2026-0001", "text": "Words."}"#.utf8)
        var submission = ArticleSubmission(form: .json)
        #expect(try submission.article(from: body).articleId == ArticleID.derive(url: nil, body: "Words."),
                "the HTTP API's default: the id is derived, \"id\" skipped")
        #expect(try ArticleJSONRequest.decode(Array(#"{"id": 7, "text": "x"}"#.utf8)).id == nil)

        submission.acceptsID = true
        #expect(try submission.article(from: body).articleId == "reuters-2026-0001")
        #expect(try submission.article(from: Array(#"{"id": null, "text": "Words."}"#.utf8)).articleId
            == ArticleID.derive(url: nil, body: "Words."))
    }

    @Test(arguments: [
        (#"{"id": "", "text": "x"}"#, "must not be empty"),
        (#"{"id": "a b", "text": "x"}"#, "U+0020"),
        (#"{"id": "a\u0007b", "text": "x"}"#, "U+0007"),
        (#"{"id": "a\u202Eb", "text": "x"}"#, "U+202E"),
        (#"{"id": "\#(String(repeating: "é", count: 65))", "text": "x"}"#, "130 bytes; the limit is 128"),
        (#"{"id": 7, "text": "x"}"#, #""id" must be a string"#),
    ])
    func badIDsAreRefused(_ body: String, _ reason: String) {
        var submission = ArticleSubmission(form: .json)
        submission.acceptsID = true
        do {
            let article = try submission.article(from: Array(body.utf8))
            Issue.record("accepted \(body) as \(article.articleId)")
        } catch {
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }
}
