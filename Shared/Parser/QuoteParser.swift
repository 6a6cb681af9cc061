import Foundation
import QuotewireModels

/// Text in, `ParsedArticle` out: page structure, quotations with their speakers, market quotes.
///
/// Pure and thread-safe: no I/O, no shared mutable state. It works on the UTF-8
/// bytes in linear time, so it is fit for a hot path.
///
/// Conventions:
/// - An organisation speaker is reported without its article ("Ukrainian army" for
///   "The Ukrainian army … said", then "…," it said).
/// - A quotation over several paragraphs is one `Quotation`: `start` is its first
///   quoted character, `end` its last; `text` joins the paragraphs' quoted parts with a
///   blank line (so it is not the raw slice, which holds the re-opening mark).
/// - A quotation with no attribution continues the speaker of the quotation before it
///   in the same paragraph (a split quotation) or of the paragraph before (a quotation
///   paragraph); one in a lone paragraph attributed to an unresolvable pronoun has
///   `speaker == nil`.
///
/// ```swift
/// let article = QuoteParser().parse(text, articleId: ArticleID.derive(url: nil, body: text))
/// for q in article.quotations { print(q.speaker ?? "?", q.text) }
/// ```
public struct QuoteParser: Sendable {
    /// Makes a parser; it holds no state.
    public init() {}

    /// Parses plain text. Quotation offsets are Unicode-scalar offsets into `text`.
    public func parse(
        _ text: String, articleId: String, url: String? = nil, publishedAt: Date? = nil, receivedAt: Date? = nil
    ) -> ParsedArticle {
        var copy = text
        return copy.withUTF8 { parse(utf8: $0, articleId: articleId, url: url, publishedAt: publishedAt, receivedAt: receivedAt) }
    }

    /// Parses UTF-8 bytes; invalid sequences are replaced with U+FFFD first (offsets then refer to the repaired text).
    public func parse(
        bytes: [UInt8], articleId: String, url: String? = nil, publishedAt: Date? = nil, receivedAt: Date? = nil
    ) -> ParsedArticle {
        bytes.withUnsafeBufferPointer { b in
            if UTF8Validation.isValid(b) {
                return parse(utf8: b, articleId: articleId, url: url, publishedAt: publishedAt, receivedAt: receivedAt)
            }
            return parse(String(decoding: b, as: UTF8.self), articleId: articleId, url: url,
                         publishedAt: publishedAt, receivedAt: receivedAt)
        }
    }

    /// Parses bytes that are known to be valid UTF-8 (the caller guarantees it).
    public func parse(
        utf8 b: UnsafeBufferPointer<UInt8>, articleId: String, url: String? = nil, publishedAt: Date? = nil,
        receivedAt: Date? = nil
    ) -> ParsedArticle {
        parse(utf8: b, known: nil, articleId: articleId, url: url, publishedAt: publishedAt, receivedAt: receivedAt)
    }

    /// Parses valid UTF-8 whose `known` parts are given rather than guessed.
    func parse(
        utf8 b: UnsafeBufferPointer<UInt8>, known: KnownParts?, articleId: String, url: String?, publishedAt: Date?,
        receivedAt: Date?
    ) -> ParsedArticle {
        let found = Self.analyze(b, known: known)
        func str(_ r: Range<Int>?) -> String? { r.map { ByteText.string(b, $0.lowerBound, $0.upperBound) } }
        let layout = found.layout
        var article = ParsedArticle(
            articleId: articleId, source: str(layout.source), headline: str(layout.headline), byline: str(layout.byline),
            caption: str(layout.caption), photoCredit: str(layout.photoCredit),
            headings: layout.headings.map { ByteText.string(b, $0.lowerBound, $0.upperBound) },
            url: url, publishedAt: publishedAt, receivedAt: receivedAt,
            paragraphs: layout.paragraphs.map { ByteText.string(b, $0.lowerBound, $0.upperBound) },
            marketQuotes: layout.marketQuotes)
        article.quotations = found.quotations.indices.map { i in
            let f = found.quotations[i]
            let s = f.span
            let text = s.pieces.isEmpty
                ? ByteText.string(b, s.start, s.end)
                : s.pieces.map { ByteText.string(b, $0.lowerBound, $0.upperBound) }.joined(separator: "\n\n")
            return Quotation(text: text, speaker: str(f.speaker.speaker), speakerMention: str(f.speaker.mention),
                             speakerRole: str(f.speaker.role), cue: str(f.speaker.cue), kind: f.kind,
                             start: found.scalarOffsets[2 * i], end: found.scalarOffsets[2 * i + 1],
                             attribution: f.rule?.name)
        }
        return article
    }

    /// Parses bytes as ``parse(bytes:articleId:url:publishedAt:receivedAt:)`` does and appends
    /// the article's JSON (``ParsedArticleJSONWriter``, no url or dates) to `out`.
    /// - Returns: false when the bytes were not valid UTF-8 and were repaired first.
    @discardableResult
    public func writeJSON(bytes b: UnsafeBufferPointer<UInt8>, articleId: String, into out: inout [UInt8]) -> Bool {
        if UTF8Validation.isValid(b) {
            ParsedArticleJSONWriter.write(parse(utf8: b, articleId: articleId), into: &out)
            return true
        }
        ParsedArticleJSONWriter.write(parse(String(decoding: b, as: UTF8.self), articleId: articleId), into: &out)
        return false
    }

    /// Layout, quotations and their scalar offsets, all as byte ranges into `b`.
    private static func analyze(_ b: UnsafeBufferPointer<UInt8>, known: KnownParts? = nil) -> ParseResult {
        let layout = PageStructure.analyze(b, known: known)
        var extractor = QuotationExtractor(b)
        let kept = deduplicated(b, extractor.extract(layout))
        var offsets: [Int] = []
        offsets.reserveCapacity(kept.count * 2)
        for f in kept { offsets.append(f.span.start); offsets.append(f.span.end) }
        return ParseResult(layout: layout, quotations: kept, scalarOffsets: ScalarOffsets.convert(b, sortedOrNot: offsets))
    }

    /// Drops headline and caption quotations that repeat a body quotation (or each other), then orders by position.
    /// The same words quoted twice in the body by different people stay two quotations.
    private static func deduplicated(_ b: UnsafeBufferPointer<UInt8>, _ found: [FoundQuotation]) -> [FoundQuotation] {
        guard found.contains(where: { $0.auxiliary }) else { return found.sorted { $0.span.start < $1.span.start } }
        var kept = found.filter { !$0.auxiliary }
        let bodyCount = kept.count
        for f in found where f.auxiliary {
            if found.contains(where: { !$0.auxiliary && sameWords(b, $0.span, f.span) }) { continue }
            if kept[bodyCount...].contains(where: { sameWords(b, $0.span, f.span) }) { continue }
            kept.append(f)
        }
        kept.sort { $0.span.start < $1.span.start }
        return kept
    }

    /// Same lower-cased ASCII letters and digits (other ASCII skipped, non-ASCII bytes kept):
    /// "Not easy." and "not easy" are the same words.
    private static func sameWords(_ b: UnsafeBufferPointer<UInt8>, _ x: QuoteSpan, _ y: QuoteSpan) -> Bool {
        var i = x.start
        var j = y.start
        while true {
            while i < x.end, !keeps(b[i]) { i += 1 }
            while j < y.end, !keeps(b[j]) { j += 1 }
            if i == x.end || j == y.end { return i == x.end && j == y.end }
            if fold(b[i]) != fold(b[j]) { return false }
            i += 1
            j += 1
        }
    }

    @inline(__always) private static func keeps(_ c: UInt8) -> Bool { ByteText.isASCIIAlnum(c) || c >= 0x80 }
    @inline(__always) private static func fold(_ c: UInt8) -> UInt8 { ByteText.isASCIIUpper(c) ? c | 0x20 : c }
}

/// What `QuoteParser` found, as byte ranges into the text.
struct ParseResult {
    var layout: PageLayout
    /// Deduplicated and ordered by position.
    var quotations: [FoundQuotation]
    /// Scalar offsets of each quotation's start and end: `2 * i` and `2 * i + 1`.
    var scalarOffsets: [Int]
}

/// Byte offsets to Unicode-scalar offsets.
enum ScalarOffsets {
    /// Converts byte offsets (any order) to scalar offsets in one pass over the bytes.
    static func convert(_ b: UnsafeBufferPointer<UInt8>, sortedOrNot offsets: [Int]) -> [Int] {
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var out = Array(repeating: 0, count: offsets.count)
        var pos = 0
        var scalars = 0
        for idx in order {
            let target = min(offsets[idx], b.count)
            if let base = b.baseAddress {
                // Eight bytes at a time: a continuation byte has bit 7 set and bit 6 clear.
                while pos + 8 <= target {
                    let w = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
                    let continuation = w & ~(w << 1) & 0x8080_8080_8080_8080
                    scalars += 8 - continuation.nonzeroBitCount
                    pos += 8
                }
            }
            while pos < target {
                if b[pos] & 0xC0 != 0x80 { scalars += 1 }
                pos += 1
            }
            out[idx] = scalars
        }
        return out
    }
}
