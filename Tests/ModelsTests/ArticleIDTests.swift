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
    /// The one-pass canonical body (which skips normalisation for text already in NFC) equals
    /// the definition: Foundation's NFC, then whitespace runs collapsed, on random text that
    /// mixes ASCII, Latin-1, combining marks, punctuation, Hangul jamo, CJK, emoji and spaces.
    @Test func canonicalBodyEqualsNFCThenCollapsedWhitespace() {
        let pools: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x09...0x0D, 0xA0...0xFF, 0x100...0x2FF, 0x300...0x36F, 0x2000...0x206F, 0x20A0...0x20C0,
            0x1100...0x1112, 0x1161...0x1175, 0xAC00...0xAC10, 0x4E00...0x4E10, 0x1F600...0x1F610, 0x212A...0x212B,
            0x3000...0x3000, 0x0410...0x044F, 0x0590...0x05FF,
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...24, using: &generator) {
                let pool = pools[Int.random(in: 0..<pools.count, using: &generator)]
                if let scalar = Unicode.Scalar(UInt32.random(in: pool, using: &generator)) { scalars.append(scalar) }
            }
            let text = String(scalars)
            #expect(ArticleID.canonicalBody(text) == Self.definition(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    private static func definition(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }
}

