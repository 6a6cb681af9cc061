import Foundation
import QuoteParser
import QuotewireModels
import Testing

/// The hand-written JSON writer writes what `WireCoding.encoder()` + Codable writes;
/// the JSON line reader decodes every escape.
@Suite("JSON writer and reader")
struct JSONCodingTests {
    static let tricky = "quote \" backslash \\ slash / tab \t newline \n cr \r nul \u{0} bell \u{7} esc \u{1B} us \u{1F} del \u{7F} é ü 中文 🇺🇦 \u{2028} \u{2029} ’“”"

    static func sample() -> ParsedArticle {
        ParsedArticle(
            articleId: "0123456789abcdef0123456789abcdef", source: "Volks \"wacht\"", headline: tricky, byline: nil,
            caption: "c\u{8}\u{C}", photoCredit: nil, headings: ["'Acute' need", tricky], url: "https://example.org/a/b?c=d",
            publishedAt: Date(timeIntervalSince1970: 1_744_675_200.75), receivedAt: Date(timeIntervalSince1970: -86_401),
            paragraphs: ["first", tricky, ""],
            quotations: [
                Quotation(text: tricky, speaker: "Mark Rutte", speakerMention: nil, speakerRole: "NATO chief",
                          cue: "said", kind: .direct, start: 0, end: 123_456),
                Quotation(text: "x", speaker: nil, speakerMention: nil, speakerRole: nil, cue: nil, kind: .partial, start: 7, end: 8),
            ],
            marketQuotes: [
                MarketQuote(symbol: "RIO", changePercent: 0.44, price: 57.26, currency: "USD", exchange: "NYSE - LSE"),
                MarketQuote(symbol: "X", changePercent: nil, price: 9, currency: nil, exchange: nil),
                MarketQuote(symbol: "Y", changePercent: -0.0, price: 1e16, currency: "GBX", exchange: "LSE"),
                MarketQuote(symbol: "Z", changePercent: 1e-7, price: 1_234_567.891, currency: "EUR", exchange: nil),
            ])
    }

    @Test func writerMatchesCodable() throws {
        for article in [Self.sample(), ParsedArticle(articleId: "")] {
            let mine = Data(ParsedArticleJSONWriter.data(article))
            let theirs = try WireCoding.encoder().encode(article)
            // Same values: decode both and compare.
            let a = try WireCoding.decoder().decode(ParsedArticle.self, from: mine)
            let b = try WireCoding.decoder().decode(ParsedArticle.self, from: theirs)
            #expect(a == b)
            // Same JSON objects (every key present, nulls included).
            let ja = try JSONSerialization.jsonObject(with: mine) as? NSDictionary
            let jb = try JSONSerialization.jsonObject(with: theirs) as? NSDictionary
            #expect(ja != nil && ja == jb)
            // Same bytes once keys are put in the same order (Foundation's key order is not fixed).
            #expect(try canonical(mine) == canonical(theirs))
        }
    }

    @Test func stringEscapesAreByteIdentical() throws {
        var strings = [Self.tricky, "", "plain", "\"", "\\", "/"]
        for c in 0..<0x20 { strings.append(String(UnicodeScalar(UInt8(c)))) }
        let theirs = try WireCoding.encoder().encode(strings)
        var mine: [UInt8] = [0x5B]
        for (i, s) in strings.enumerated() {
            if i > 0 { mine.append(0x2C) }
            var w: [UInt8] = []
            let a = ParsedArticle(articleId: s)
            ParsedArticleJSONWriter.write(a, into: &w)
            // Cut the articleId string out of the writer's output.
            let prefix = Array("{\"schemaVersion\":1,\"articleId\":".utf8)
            let suffix = Array(",\"source\":".utf8)
            let body = Array(w[prefix.count...])
            let end = try #require(Self.find(suffix, in: body))
            mine += body[..<end]
        }
        mine.append(0x5D)
        #expect(mine == Array(theirs))
    }

    @Test func numbersAndDatesAreByteIdentical() throws {
        let values: [Double] = [0.44, 57.26, 21.8, 9, -0.0, 0, -2.81, 1e16, 1e15, 1e-7, 0.1 + 0.2, 123_456.5, 1_204.5]
        for v in values {
            let a = ParsedArticle(articleId: "", marketQuotes: [MarketQuote(symbol: "S", changePercent: v, price: v, currency: nil, exchange: nil)])
            let mine = String(decoding: ParsedArticleJSONWriter.data(a), as: UTF8.self)
            let theirs = String(decoding: try WireCoding.encoder().encode([v]), as: UTF8.self).dropFirst().dropLast()
            #expect(mine.contains("\"changePercent\":\(theirs),"), "\(v)")
        }
        // Also before the Gregorian calendar (Foundation writes Julian dates there) and past year 9999.
        for t in [0.0, 1_744_675_200.999, -1, 951_782_400, 4_102_444_800, -15_000_000_000, -12_219_292_801, 300_000_000_000] {
            let d = Date(timeIntervalSince1970: t)
            let a = ParsedArticle(articleId: "", publishedAt: d)
            let mine = String(decoding: ParsedArticleJSONWriter.data(a), as: UTF8.self)
            let theirs = String(decoding: try WireCoding.encoder().encode([d]), as: UTF8.self).dropFirst().dropLast()
            #expect(mine.contains("\"publishedAt\":\(theirs),"), "\(t)")
        }
    }

    @Test func parsedSampleRoundTrips() throws {
        let url = TestSupport.repoRoot.appendingPathComponent("samples/harbour-ledger-tariff-talks.txt")
        let a = TestSupport.parse(try String(contentsOf: url, encoding: .utf8))
        let decoded = try WireCoding.decode(ParsedArticle.self, from: Data(ParsedArticleJSONWriter.data(a)))
        #expect(decoded == a)
    }

    /// `QuoteParser.writeJSON` (the `parse --jsonl` path, escaping straight from the text's bytes) writes
    /// the same bytes as `ParsedArticleJSONWriter.write` of `parse`'s result, which `writerMatchesCodable`
    /// ties to Codable.
    @Test func directWriterMatchesParseThenWrite() throws {
        var texts: [String] = []
        for name in ["harbour-ledger-tariff-talks.txt", "alpenstadt-echo-pension-reform.txt", "northgate-gazette-tramline.txt"] {
            let url = TestSupport.repoRoot.appendingPathComponent("samples/\(name)")
            texts.append(try String(contentsOf: url, encoding: .utf8))
        }
        if TestSupport.sharedFileExists(TestSupport.referencePage) {
            texts.append(try String(contentsOf: TestSupport.referencePage, encoding: .utf8))
        }
        texts += [
            "", "  \n\t", Self.tricky,
            "Outlet - \"Head\\line\" with \u{1}\n\n\"We will win,\" said Anna Keller, the mayor.\n\n\"First part.\n\n\"Second part,\" she added.",
            "NYSE - LSE\nRIO 0.44% 57.26 $\nBP -1.5% 4.1 GBX\n\n\u{201C}Bonjour,\u{201D} dit-elle. \u{201E}Gut\u{201C}, sagte er. \u{AB}Oui\u{BB}",
        ]
        let parser = QuoteParser()
        for text in texts {
            var bytes = Array(text.utf8)
            let expected = ParsedArticleJSONWriter.data(parser.parse(text, articleId: "id \"1\""))
            var direct: [UInt8] = []
            bytes.withUnsafeBufferPointer { parser.writeJSON(utf8: $0, articleId: "id \"1\"", into: &direct) }
            #expect(direct == expected, "\(text.prefix(60))")
            // Invalid UTF-8 is repaired first, as parse(bytes:) does.
            bytes += [0xFF, 0xC3, 0x28]
            let repaired = ParsedArticleJSONWriter.data(parser.parse(bytes: bytes, articleId: "x"))
            var fromBytes: [UInt8] = []
            let valid = bytes.withUnsafeBufferPointer { parser.writeJSON(bytes: $0, articleId: "x", into: &fromBytes) }
            #expect(!valid)
            #expect(fromBytes == repaired)
        }
    }

    @Test func objectReaderDecodesEscapes() throws {
        var r = JSONObjectReader(keys: ["id", "text", "url"])
        let line = #"{"text": "a\"b\\c\/d\n\t\r\b\f \u00e9 \u4e2d \ud83c\uddfa\ud83c\udde6 \ud800 x \udc00", "other": [1, {"k": null}, true], "id":"x\u0031", "url": null}"#
        try Array(line.utf8).withUnsafeBufferPointer { try r.read($0) }
        #expect(r.string(0) == "x1")
        #expect(!r.has(2) && r.string(2) == nil)
        #expect(r.string(1) == "a\"b\\c/d\n\t\r\u{8}\u{C} é 中 🇺🇦 \u{FFFD} x \u{FFFD}")
        try Array(#"{"id": "second"}"#.utf8).withUnsafeBufferPointer { try r.read($0) }
        #expect(r.string(0) == "second" && !r.has(1), "a read forgets the previous object's fields")
    }

    @Test(arguments: [
        "", "{", "[]", #"{"id":1,"text":"a"}"#, #"{"id":"a","text":"b"} x"#,
        #"{"id":"a","text":"\q"}"#, #"{"id":"a","text":"\u12"}"#, #"{"id":"a","text":"open}"#, "{\"id\":\"a\",\"text\":\"\u{1}\"}",
        #"{"id":"a" "text":"b"}"#, #"{"other": [1, 2}"#,
    ])
    func objectReaderRejectsBadObjects(_ line: String) {
        var r = JSONObjectReader(keys: ["id", "text"])
        #expect(throws: JSONObjectError.self) { try Array(line.utf8).withUnsafeBufferPointer { try r.read($0) } }
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    /// Re-serialises with sorted keys so key order does not matter.
    private func canonical(_ data: Data) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: data)
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
