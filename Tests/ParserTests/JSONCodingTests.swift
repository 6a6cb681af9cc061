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

    /// `QuoteParser.writeJSON(bytes:)` (the `parse --jsonl` path) appends the writer's JSON of
    /// `parse(bytes:)`'s result and says whether the bytes had to be repaired.
    @Test func writeJSONAppendsTheWritersBytesOfTheParse() throws {
        let url = TestSupport.repoRoot.appendingPathComponent("samples/harbour-ledger-tariff-talks.txt")
        let sample = Array(try String(contentsOf: url, encoding: .utf8).utf8)
        let parser = QuoteParser()
        for (bytes, valid) in [(sample, true), (sample + [0xFF, 0xC3, 0x28], false), ([], true)] as [([UInt8], Bool)] {
            let lead = Array("[1,".utf8)
            var out = lead
            let said = bytes.withUnsafeBufferPointer { parser.writeJSON(bytes: $0, articleId: "id \"1\"", into: &out) }
            #expect(said == valid)
            #expect(out == lead + ParsedArticleJSONWriter.data(parser.parse(bytes: bytes, articleId: "id \"1\"")))
        }
    }

    /// On many random articles, hostile strings included (control characters, quotes,
    /// backslashes, slashes, non-ASCII, emoji, U+2028), the writer's JSON decodes to the same
    /// value as Codable's and is the same bytes once keys are sorted.
    @Test func writerMatchesCodableOnRandomArticles() throws {
        var random = SystemRandomNumberGenerator()
        for round in 0..<500 {
            let article = RandomArticle.make(&random)
            let mine = Data(ParsedArticleJSONWriter.data(article))
            let theirs = try WireCoding.encoder().encode(article)
            let a = try WireCoding.decode(ParsedArticle.self, from: mine)
            let b = try WireCoding.decode(ParsedArticle.self, from: theirs)
            #expect(a == b, "round \(round): \(article)")
            #expect(try canonical(mine) == canonical(theirs), "round \(round): \(article)")
            if a != b { break }
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

/// Random `ParsedArticle`s for comparing the writer with Codable.
enum RandomArticle {
    /// Pieces strings are made of: every escape JSON has, ASCII, Latin and CJK letters, emoji
    /// (with a joiner and a flag), the line separators JavaScript cares about.
    static let pieces: [String] = [
        "a", "Z", " ", "said", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{8}", "\u{C}", "\u{1B}", "\u{1F}", "\u{7F}",
        "é", "ß", "中文", "’", "“", "”", "«", "»", "🇺🇦", "👩‍💻", "😀", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFD}", "{", "}", "[", ",", ":",
    ]

    static func string(_ r: inout SystemRandomNumberGenerator) -> String {
        (0..<Int.random(in: 0...12, using: &r)).map { _ in pieces.randomElement(using: &r) ?? "" }.joined()
    }

    static func optional(_ r: inout SystemRandomNumberGenerator) -> String? {
        Bool.random(using: &r) ? string(&r) : nil
    }

    /// Finite numbers of many magnitudes (Codable refuses NaN and infinities).
    static func number(_ r: inout SystemRandomNumberGenerator) -> Double {
        switch Int.random(in: 0..<4, using: &r) {
        case 0: Double(Int.random(in: -100_000...100_000, using: &r)) / 100
        case 1: Double.random(in: -1e6...1e6, using: &r)
        case 2: Double(sign: .plus, exponent: Int.random(in: -60...60, using: &r), significand: Double.random(in: 1..<2, using: &r))
        default: ([0, -0.0, 1e16, 1e-7, 0.1 + 0.2] as [Double]).randomElement(using: &r) ?? 0
        }
    }

    /// Whole seconds between year 1600 and 2400, or nil.
    static func date(_ r: inout SystemRandomNumberGenerator) -> Date? {
        Bool.random(using: &r) ? nil : Date(timeIntervalSince1970: Double(Int64.random(in: -11_676_096_000...13_569_465_600, using: &r)))
    }

    static func make(_ r: inout SystemRandomNumberGenerator) -> ParsedArticle {
        let quotations = (0..<Int.random(in: 0...4, using: &r)).map { _ in
            Quotation(text: string(&r), speaker: optional(&r), speakerMention: optional(&r), speakerRole: optional(&r),
                      cue: optional(&r), kind: Bool.random(using: &r) ? .direct : .partial,
                      start: Int.random(in: 0...1_000_000, using: &r), end: Int.random(in: 0...Int(Int32.max), using: &r),
                      attribution: optional(&r))
        }
        let marketQuotes = (0..<Int.random(in: 0...3, using: &r)).map { _ in
            MarketQuote(symbol: string(&r), changePercent: Bool.random(using: &r) ? number(&r) : nil, price: number(&r),
                        currency: optional(&r), exchange: optional(&r))
        }
        return ParsedArticle(
            articleId: string(&r), source: optional(&r), headline: optional(&r), byline: optional(&r), caption: optional(&r),
            photoCredit: optional(&r), headings: (0..<Int.random(in: 0...3, using: &r)).map { _ in string(&r) },
            url: optional(&r), publishedAt: date(&r), receivedAt: date(&r),
            paragraphs: (0..<Int.random(in: 0...5, using: &r)).map { _ in string(&r) },
            quotations: quotations, marketQuotes: marketQuotes)
    }
}
