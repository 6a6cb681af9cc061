import Foundation
import QuotewireModels
import Testing

@Suite struct ArticleIDTests {
    @Test func sameBodyWithDifferentWhitespaceIsTheSameArticle() {
        let a = ArticleID.derive(url: nil, body: "Hello   world\n\nagain ")
        let b = ArticleID.derive(url: nil, body: " Hello world again")
        #expect(a == b)
        #expect(a.count == 32)
        #expect(a.allSatisfy { $0.isHexDigit })
    }

    @Test func nfcAndDecomposedFormsAreTheSameArticle() {
        let composed = "Caf\u{E9} opens"
        let decomposed = "Cafe\u{301} opens"
        #expect(ArticleID.derive(url: nil, body: composed) == ArticleID.derive(url: nil, body: decomposed))
    }

    @Test func urlWinsOverBodyAndIsCanonicalised() {
        let a = ArticleID.derive(url: "HTTPS://Example.COM/news/1/#top", body: "one")
        let b = ArticleID.derive(url: "https://example.com/news/1", body: "two")
        #expect(a == b)
        #expect(a != ArticleID.derive(url: nil, body: "one"))
    }

    @Test func knownDigest() {
        // SHA-256("abc") starts with ba7816bf8f01cfea414140de5dae2223.
        #expect(ArticleID.derive(url: nil, body: "abc") == "ba7816bf8f01cfea414140de5dae2223")
    }

    @Test func notAURLFallsBackToTheBody() {
        #expect(ArticleID.derive(url: "not a url", body: "abc") == ArticleID.derive(url: nil, body: "abc"))
    }
}

@Suite struct WireCodingTests {
    @Test func rawArticleRoundTripsWithISODates() throws {
        let article = RawArticle.make(
            body: "Body", url: "https://example.com/a", source: "Example",
            publishedAt: Date(timeIntervalSince1970: 1_700_000_000), receivedAt: Date(timeIntervalSince1970: 1_700_000_100))
        let data = try WireCoding.encoder().encode(article)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"publishedAt\":\"2023-11-14T22:13:20Z\""))
        #expect(json.contains("\"contentType\":\"text/plain\""))
        #expect(try WireCoding.decode(RawArticle.self, from: data) == article)
    }

    @Test func parsedArticleWritesNullsForMissingFields() throws {
        let parsed = ParsedArticle(articleId: "x", quotations: [
            Quotation(text: "Hi", speaker: nil, speakerMention: nil, speakerRole: nil, cue: nil, kind: .direct, start: 1, end: 3),
        ])
        let json = String(decoding: try WireCoding.encoder().encode(parsed), as: UTF8.self)
        #expect(json.contains("\"url\":null"))
        #expect(json.contains("\"speaker\":null"))
        #expect(try WireCoding.decode(ParsedArticle.self, from: Data(json.utf8)) == parsed)
    }

    @Test func unknownSchemaVersionIsRefused() throws {
        let json = #"{"schemaVersion":2,"articleId":"a","contentType":"text/plain","body":"b","receivedAt":"2024-01-01T00:00:00Z"}"#
        #expect(throws: WireError.unsupportedSchemaVersion(2)) {
            try WireCoding.decode(RawArticle.self, from: Data(json.utf8))
        }
    }

    @Test func truncatedJSONIsAClearError() {
        #expect(throws: WireError.self) {
            try WireCoding.decode(RawArticle.self, from: Data(#"{"schemaVersion":1,"#.utf8))
        }
    }
}
