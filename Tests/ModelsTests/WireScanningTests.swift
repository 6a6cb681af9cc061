import Foundation
@testable import QuotewireModels
import Testing

/// The byte-level wire decoders against Codable: every message the wire encoder writes is read
/// by the fast path to the same value, and what the fast path refuses, Codable decides.
@Suite struct WireScanningTests {
    /// Text with everything JSON escapes or that UTF-8 makes long: quotes, backslashes, slashes,
    /// control characters, accents, CJK, emoji (surrogate pairs when escaped).
    private static let pieces = ["plain", "\"quoted\"", "back\\slash", "a/b", "tab\tnew\nline", "\u{1}\u{1F}", "café",
                                 "中文", "🇺🇦 flag", "’curly’", "", " ", "\u{2028}", "NATO's"]

    private struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private static func text(_ g: inout Generator) -> String {
        (0..<Int.random(in: 0...4, using: &g)).map { _ in pieces.randomElement(using: &g) ?? "" }.joined(separator: " ")
    }

    private static func maybe(_ g: inout Generator) -> String? {
        Bool.random(using: &g) ? text(&g) : nil
    }

    private static func date(_ g: inout Generator) -> Date? {
        Bool.random(using: &g) ? Date(timeIntervalSince1970: Double(Int.random(in: -2_000_000_000...4_000_000_000, using: &g))) : nil
    }

    private static func article(_ g: inout Generator) -> ParsedArticle {
        ParsedArticle(
            articleId: String(UInt64.random(in: 0...UInt64.max, using: &g), radix: 16), source: maybe(&g), headline: maybe(&g),
            byline: maybe(&g), caption: maybe(&g), photoCredit: maybe(&g), headings: (0..<Int.random(in: 0...2, using: &g)).map { _ in text(&g) },
            url: maybe(&g), publishedAt: date(&g), receivedAt: date(&g),
            paragraphs: (0..<Int.random(in: 0...5, using: &g)).map { _ in text(&g) },
            quotations: (0..<Int.random(in: 0...4, using: &g)).map { _ in
                Quotation(text: text(&g), speaker: maybe(&g), speakerMention: maybe(&g), speakerRole: maybe(&g), cue: maybe(&g),
                          kind: Bool.random(using: &g) ? .direct : .partial, start: Int.random(in: 0...100_000, using: &g),
                          end: Int.random(in: 0...100_000, using: &g), attribution: maybe(&g))
            },
            marketQuotes: (0..<Int.random(in: 0...3, using: &g)).map { _ in
                MarketQuote(symbol: text(&g), changePercent: Bool.random(using: &g) ? Double.random(in: -50...50, using: &g) : nil,
                            price: [0, 57.26, 1e-7, 123_456_789.125, Double.random(in: 0...10_000, using: &g)].randomElement(using: &g) ?? 1,
                            currency: maybe(&g), exchange: maybe(&g))
            })
    }

    @Test func everyEncodedParsedArticleIsScannedToWhatCodableReads() throws {
        var g = Generator(state: 42)
        let encoder = WireCoding.encoder()
        for _ in 0..<500 {
            let original = Self.article(&g)
            let data = try encoder.encode(original)
            let scanned = WireCoding.scan(data, as: ParsedArticle.self)
            #expect(scanned != nil, "the fast path gave up on what the encoder wrote: \(String(decoding: data, as: UTF8.self))")
            #expect(scanned == (try WireCoding.decodeWithCodable(ParsedArticle.self, from: data)))
            #expect(scanned == original)
        }
    }

    @Test func everyEncodedRawArticleIsScannedToWhatCodableReads() throws {
        var g = Generator(state: 7)
        let encoder = WireCoding.encoder()
        for _ in 0..<300 {
            let original = RawArticle(
                articleId: Self.text(&g), contentType: Bool.random(using: &g) ? .html : .plainText, body: Self.text(&g),
                url: Self.maybe(&g), source: Self.maybe(&g), publishedAt: Self.date(&g),
                receivedAt: Self.date(&g) ?? Date(timeIntervalSince1970: 0))
            let data = try encoder.encode(original)
            let scanned = WireCoding.scan(data, as: RawArticle.self)
            #expect(scanned != nil)
            #expect(scanned == (try WireCoding.decodeWithCodable(RawArticle.self, from: data)))
        }
    }

    /// JSON the encoder never writes: the fast path gives up and Codable decides, so the result
    /// (a value or an error) is the same as Codable's alone.
    @Test(arguments: [
        #"{"schemaVersion":1,"articleId":"a","articleId":"b","headings":[],"paragraphs":[],"quotations":[],"marketQuotes":[]}"#,
        #"{"schemaVersion":1.0,"articleId":"a","headings":[],"paragraphs":[],"quotations":[],"marketQuotes":[]}"#,
        #"{"schemaVersion":1,"articleId":"a","receivedAt":"2026-01-02T03:04:05.250Z","headings":[],"paragraphs":[],"quotations":[],"marketQuotes":[]}"#,
        #"{"schemaVersion":1,"articleId":"a","receivedAt":"2026-02-30T03:04:05Z","headings":[],"paragraphs":[],"quotations":[],"marketQuotes":[]}"#,
        #"{"schemaVersion":1,"articleId":"\ud800","headings":[],"paragraphs":[],"quotations":[],"marketQuotes":[]}"#,
        #"{"schemaVersion":1,"articleId":"a","headings":[],"paragraphs":[],"quotations":[],"marketQuotes":[{"symbol":"X","price":01}]}"#,
        #"{"schemaVersion":1,"articleId":"a","headings":[],"paragraphs":[],"quotations":[{"text":"t","kind":"shouted","start":0,"end":1}],"marketQuotes":[]}"#,
        #"{"schemaVersion":1,"articleId":"a","headings":[null],"paragraphs":[],"quotations":[],"marketQuotes":[]}"#,
        #"{"schemaVersion":1,"articleId":"a","headings":[],"paragraphs":[],"quotations":[],"marketQuotes":[]} trailing"#,
        #"{"schemaVersion":1,"articleId":"a","extra":{"deep":[1,2,{"x":null}]},"headings":[],"paragraphs":[],"quotations":[],"marketQuotes":[]}"#,
        #"{"schemaVersion":1,"articleId":"a","headings":[],"paragraphs":[]}"#,
    ])
    func whatTheFastPathRefusesCodableDecides(_ json: String) {
        let data = Data(json.utf8)
        let fast = Result { try WireCoding.decode(ParsedArticle.self, from: data) }
        let codable = Result { try WireCoding.decodeWithCodable(ParsedArticle.self, from: data) }
        switch (fast, codable) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure, .failure): break
        default: Issue.record("fast \(fast) vs Codable \(codable) for \(json)")
        }
    }

    @Test func invalidUTF8IsStillRefusedWithItsOffset() {
        var bytes = Array(#"{"schemaVersion":1,"articleId":"ab","headings":[],"paragraphs":[],"quotations":[],"marketQuotes":[]}"#.utf8)
        bytes[32] = 0xFF
        #expect(throws: WireError.self) { try WireCoding.decode(ParsedArticle.self, from: Data(bytes)) }
    }
}
